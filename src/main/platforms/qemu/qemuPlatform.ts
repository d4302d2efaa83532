/**
 * The QEMU platforms (qemu-tcg, qemu-kvm): a minimal guest built on the fly
 * (kernel + our initramfs), booted per target, benchmarks run through the
 * guest agent. KVM is never replaced by TCG silently: without a usable KVM
 * the qemu-kvm platform is unavailable and prepare() refuses with the reason.
 * Where the kernel comes from: guestKernelSource.ts; booting a guest: guestBoot.ts.
 */
import type { BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  FULL_OS_CAPABILITIES,
  type Availability,
  type Capability,
  type PlatformId,
} from '../../../shared/platforms';
import { AppFailure } from '../../../shared/result';
import type { BenchmarkRunner } from '../../benchmarks/types';
import { GUEST_DISK_DEVICE } from '../../qemu/disk';
import { buildQemuArgs, diskAio, type Accel } from '../../qemu/qemuArgs';
import { benchPath, PAYLOAD_LAYOUT } from '../../payload';
import type { Platform, PlatformSession, PrepareContext, ToolVersionCommand } from '../platform';
import { describeBenchmarks, type DescribedCommand } from '../describeCommands';
import { benchmarkSupport } from '../support';
import { guestPlace } from './guestService';
import {
  probeAccelerator,
  probeQemuTools,
  qemuTools,
  qemuToolVersions,
  requireAccelerator,
  type QemuToolOptions,
  type QemuTools,
} from '../../qemu/qemuTools';
import {
  describeDisk,
  describedDiskPath,
  sweepOrphanWorkDirs,
  withTargetDisk,
} from '../../qemu/targetDisk';
import {
  acceleratorInUse,
  bootGuest,
  guestCpuFacts,
  guestLaunchSpec,
  type GuestBootOf,
} from './guestBoot';
import { createHostProbe, type HostProbe } from '../../host/hostProbe';
import { GuestKernelSource, type GuestKernelDeps } from './guestKernelSource';
import { QemuSession } from './qemuSession';

export { ENV_GUEST_KERNEL, ENV_GUEST_MODULES } from './guestKernelSource';

/** Name prefix of a target's work folder (sockets) in the scratch or temp folder. */
const GUEST_WORK_PREFIX = 'bvq-';

const QEMU_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES;
const PLATFORM_ID: Record<Accel, PlatformId> = { tcg: 'qemu-tcg', kvm: 'qemu-kvm' };

export interface QemuPlatformDeps extends QemuToolOptions, GuestKernelDeps {
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  /** Folder for QEMU's sockets (default os.tmpdir(); keep it short: socket paths are limited). */
  scratchDir?: string;
  /**
   * The engine's host probe: the running kernel (the default guest kernel) and the disk's
   * filesystem (default: a probe of this machine, made once per platform).
   */
  host?: Pick<HostProbe, 'kernelRelease' | 'filesystemOf'>;
}

export class QemuPlatform implements Platform {
  readonly id: PlatformId;
  readonly capabilities = QEMU_CAPABILITIES;
  private readonly qemu: QemuTools;
  private readonly kernels: GuestKernelSource;
  /** This platform's guests, as guestBoot.ts boots them. */
  private readonly guest: GuestBootOf;
  private readonly host: NonNullable<QemuPlatformDeps['host']>;
  readonly tools: readonly ToolVersionCommand[];

  constructor(
    readonly accel: Accel,
    private readonly deps: QemuPlatformDeps,
  ) {
    this.id = PLATFORM_ID[accel];
    this.qemu = qemuTools(deps);
    this.tools = qemuToolVersions(this.qemu);
    this.host = deps.host ?? createHostProbe();
    this.kernels = new GuestKernelSource(this.id, deps, this.qemu.commands, this.host);
    this.guest = { platformId: this.id, accel, qemu: this.qemu };
  }

  async probe(config?: ExperimentConfig): Promise<Availability> {
    const tools = await probeQemuTools(this.qemu);
    if (!tools.ok) return tools.availability;
    const details: Record<string, string> = { qemu: tools.versionLine };
    const refused = await probeAccelerator(this.qemu, this.accel, details);
    if (refused) return refused;
    const badKernel = await this.kernels.refusal(config);
    if (badKernel) return { available: false, ...badKernel, details };
    details.kernel = await this.kernels.note(config);
    return { available: true, details };
  }

  supports(benchmark: BenchmarkId): Promise<Availability> {
    return benchmarkSupport(benchmark, {
      benchBinDir: this.deps.paths.benchBinDir,
      runners: this.deps.runners,
    });
  }

  async describe(config: ExperimentConfig, target: string): Promise<DescribedCommand[]> {
    const g = config.guest;
    const diskPath = describedDiskPath(g, target);
    const out = [describeDisk(this.qemu.qemuImg, g, target)];
    const spec = guestLaunchSpec(this.guest, config, {
      kernel: '<guest kernel>',
      initrd: '<cache>/guest/initramfs-<hash>.cpio.gz',
      workDir: '<scratch>',
      diskPath,
      hostPort: 0,
    });
    const argv = [this.qemu.qemuBinary, ...buildQemuArgs(spec)].map((a) =>
      a.replace('127.0.0.1:0-', '127.0.0.1:<free port>-'),
    );
    out.push({ title: `QEMU guest (${this.accel === 'kvm' ? 'KVM' : 'TCG'})`, argv });
    const benchmarks = await describeBenchmarks(config, this.deps.runners, {
      diskTarget: GUEST_DISK_DEVICE,
      service: (service, title) => ({
        // The same place and layout startService uses in the guest.
        title: `${title} (in the guest, fetched through hostfwd on 127.0.0.1)`,
        argv: [service.program.payloadPath, ...service.layout(guestPlace(service.name)).startArgs],
      }),
      exec: (exec, title, benchmark) => ({
        title: `${title} (in the guest)`,
        argv: exec
          ? [benchPath(exec.binary), ...exec.args]
          : [`${PAYLOAD_LAYOUT.benchDir}/${benchmark}`],
      }),
    });
    return [...out, ...benchmarks];
  }

  /** Work folders (QMP and agent sockets) of engines that were killed before they removed them. */
  sweepOrphans(): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
    return sweepOrphanWorkDirs(this.deps.scratchDir, GUEST_WORK_PREFIX);
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    ctx.signal.throwIfAborted();
    await requireAccelerator(this.qemu, this.accel);
    const images = await this.kernels.bootImages(ctx);
    ctx.signal.throwIfAborted();
    const g = ctx.config.guest;
    const target = {
      tools: this.qemu,
      prepare: ctx,
      workPrefix: GUEST_WORK_PREFIX,
      scratchDir: this.deps.scratchDir,
      host: this.host,
    };
    return withTargetDisk(target, async (disk) => {
      const { vm, hostPort } = await bootGuest(this.guest, ctx, disk, images);
      // From here on the guest runs: any failure must stop it before the error goes up.
      const kvm = await acceleratorInUse(this.guest, vm);
      const started = performance.now();
      const cpuFacts = await guestCpuFacts(this.guest, vm, ctx);
      const guestFactsMs = Math.round(performance.now() - started);
      ctx.log(
        'info',
        `${this.id}: guest ready after ${(vm.bootMs / 1000).toFixed(1)} s (query-kvm: enabled=${kvm.enabled})`,
      );
      const session = new QemuSession({
        accel: this.accel,
        vm,
        ctx,
        guest: g,
        serviceHostPort: hostPort,
        workDir: disk.workDir,
        diskDir: disk.diskDir,
        kvm,
        qemuVersion: vm.qmp!.qemuVersion(),
        bootFacts: {
          kernelVersion: images.kernel.version,
          kernelSource: images.kernel.source,
          initramfsBuilt: images.initrd.built,
          kernelLookupMs: images.kernelLookupMs,
          initramfsMs: images.initramfsMs,
          diskCreateMs: disk.createMs,
          bootMs: Math.round(vm.bootMs),
          diskAio: diskAio(g.cacheMode),
          ...cpuFacts,
          guestFactsMs,
          ...disk.hostMeta,
        },
      });
      // A cancel can cross the agent's READY (or come while the facts above are read): prepare
      // never hands back a guest that its run no longer wants, it stops it.
      if (ctx.signal.aborted) {
        await session.dispose();
        throw new AppFailure('CANCELLED', `${this.id}: cancelled while the guest booted`);
      }
      return session;
    });
  }
}

/** Factory used by the composition root: `createQemuPlatform('tcg', deps)`. */
export function createQemuPlatform(accel: Accel, deps: QemuPlatformDeps): Platform {
  return new QemuPlatform(accel, deps);
}
