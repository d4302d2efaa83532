/**
 * The QEMU platforms (qemu-tcg, qemu-kvm): a minimal guest built on the fly
 * (kernel + our initramfs), booted per experiment, benchmarks run through the
 * guest agent. KVM is never replaced by TCG silently: without a usable KVM
 * the qemu-kvm platform is unavailable and prepare() refuses with the reason.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  FULL_OS_CAPABILITIES,
  type Availability,
  type Capability,
  type PlatformId,
} from '../../../shared/platforms';
import { AppFailure, errorText } from '../../../shared/result';
import { recordRequest } from '../../benchmarks/recordRequest';
import type { BenchmarkRunner } from '../../benchmarks/types';
import { GUEST_DISK_DEVICE } from '../../qemu/disk';
import { GuestVm } from '../../qemu/guestVm';
import { buildInitramfs } from '../../qemu/initramfs';
import { findGuestKernel, findBootKernel, type GuestKernel } from '../../qemu/kernel';
import { buildQemuArgs, diskAio, type Accel, type QemuLaunchSpec } from '../../qemu/qemuArgs';
import { benchPath, PAYLOAD_LAYOUT } from '../../payload';
import type { AppPaths } from '../../util/appPaths';
import { freePort } from '../../util/freePort';
import type { Platform, PlatformSession, PrepareContext, ToolVersionCommand } from '../platform';
import { benchmarkSupport } from '../support';
import { GUEST_SERVICE_PORT, guestPlace } from './guestService';
import { GUEST_CPU_FACTS_SCRIPT, parseCpuFactsLines } from '../../host/cpuFacts';
import { parseKvmInitFailure } from '../../qemu/kvmFailure';
import {
  acceleratorMismatch,
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
  sweepDeadWorkDirs,
  withTargetDisk,
  type TargetDisk,
} from '../../qemu/targetDisk';
import { QemuSession } from './qemuSession';

/** Name prefix of a target's work folder (sockets) in the scratch or temp folder. */
const GUEST_WORK_PREFIX = 'bvq-';

const QEMU_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES;
/** Boot until the agent says READY: seconds under TCG, allow slow machines plenty. */
const BOOT_TIMEOUT_MS = { tcg: 180_000, kvm: 60_000 } as const;
/** Environment variables for a user-picked kernel (the wizard's "pick a file"). */
export const ENV_GUEST_KERNEL = 'BENCHVISOR_GUEST_KERNEL';
export const ENV_GUEST_MODULES = 'BENCHVISOR_GUEST_MODULES';
/** Reading the guest's CPU facts (a few cat/sed calls) through the agent. */
const GUEST_FACTS_TIMEOUT_MS = 30_000;
const PLATFORM_ID: Record<Accel, PlatformId> = { tcg: 'qemu-tcg', kvm: 'qemu-kvm' };

export interface QemuPlatformDeps extends QemuToolOptions {
  paths: AppPaths;
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  env?: NodeJS.ProcessEnv;
  /** A kernel the user picked (else ENV_GUEST_KERNEL, else /boot, else apt). */
  kernelPath?: string;
  modulesDir?: string;
  /** Folder for QEMU's sockets (default os.tmpdir(); keep it short: socket paths are limited). */
  scratchDir?: string;
}

export class QemuPlatform implements Platform {
  readonly id: PlatformId;
  readonly capabilities = QEMU_CAPABILITIES;
  private readonly qemu: QemuTools;
  /** The kernel of the run being prepared (kernel()). */
  private lastKernel: { key: string; kernel: Promise<GuestKernel> } | null = null;
  readonly tools: readonly ToolVersionCommand[];

  constructor(
    readonly accel: Accel,
    private readonly deps: QemuPlatformDeps,
  ) {
    this.id = PLATFORM_ID[accel];
    this.qemu = qemuTools(deps);
    this.tools = qemuToolVersions(this.qemu);
  }

  /** The user's kernel: the experiment's guest.kernelPath, else the deps, else the environment. */
  private kernelChoice(config?: ExperimentConfig): {
    userKernel?: string;
    userModulesDir?: string;
  } {
    const env = this.deps.env ?? process.env;
    const userKernel = config?.guest.kernelPath ?? this.deps.kernelPath ?? env[ENV_GUEST_KERNEL];
    const userModulesDir =
      config?.guest.modulesDir ?? this.deps.modulesDir ?? env[ENV_GUEST_MODULES];
    return { ...(userKernel ? { userKernel } : {}), ...(userModulesDir ? { userModulesDir } : {}) };
  }

  /**
   * The guest kernel's clocksource, CPU vendor/model and vulnerability mitigations, read once
   * per boot through the agent (they do not change while it runs). On failure: logged, and
   * the keys say unknown.
   */
  private async guestCpuFacts(vm: GuestVm, ctx: PrepareContext): Promise<Record<string, unknown>> {
    let stdout = '';
    try {
      const r = await vm.agent!.run(['/bin/sh', '-c', GUEST_CPU_FACTS_SCRIPT], {
        timeoutMs: GUEST_FACTS_TIMEOUT_MS,
        signal: ctx.signal,
      });
      stdout = r.stdout;
      if (r.failure || r.exitCode !== 0)
        ctx.log(
          'warn',
          `${this.id}: could not read the guest's CPU facts (${r.failure?.message ?? `exit ${r.exitCode}`})`,
        );
    } catch (e) {
      ctx.log('warn', `${this.id}: could not read the guest's CPU facts (${errorText(e)})`);
    }
    return { ...parseCpuFactsLines(stdout), cpuFactsFrom: 'guest at boot' };
  }

  /** A guest that did not boot: a KVM start-up failure becomes UNAVAILABLE with its fix. */
  private bootFailure(e: unknown): AppFailure {
    const message = errorText(e);
    const kvm = this.accel === 'kvm' ? parseKvmInitFailure(message) : null;
    if (kvm) return new AppFailure('UNAVAILABLE', `${this.id}: ${kvm.reason}. Fix: ${kvm.fix}`);
    return new AppFailure('GUEST_FAILED', `${this.id}: the guest did not boot: ${message}`);
  }

  async probe(config?: ExperimentConfig): Promise<Availability> {
    const tools = await probeQemuTools(this.qemu);
    if (!tools.ok) return tools.availability;
    const details: Record<string, string> = { qemu: tools.versionLine };
    const refused = await probeAccelerator(this.qemu, this.accel, details);
    if (refused) return refused;
    const badKernel = await unreadableUserKernel(this.kernelChoice(config).userKernel);
    if (badKernel) return { available: false, ...badKernel, details };
    details.kernel = await this.kernelNote(config);
    return { available: true, details };
  }

  /** Where the guest kernel will come from, without downloading anything. */
  private async kernelNote(config?: ExperimentConfig): Promise<string> {
    const choice = this.kernelChoice(config);
    if (choice.userKernel) return `user-picked ${choice.userKernel}`;
    const boot = await findBootKernel('/boot', '/lib/modules', release());
    if (boot) return `host kernel ${boot.vmlinuz}`;
    return `the distribution kernel package, fetched with apt-get download into ${join(this.deps.paths.cacheDir, 'kernel')} on first use`;
  }

  supports(benchmark: BenchmarkId): Promise<Availability> {
    return benchmarkSupport(benchmark, {
      benchBinDir: this.deps.paths.benchBinDir,
      runners: this.deps.runners,
    });
  }

  private launchSpec(
    config: ExperimentConfig,
    files: { kernel: string; initrd: string; workDir: string; diskPath: string; hostPort: number },
  ): QemuLaunchSpec {
    const g = config.guest;
    return {
      name: `benchvisor-${this.id}`,
      accel: this.accel,
      vcpus: g.vcpus,
      memoryMiB: g.memoryMiB,
      kernel: files.kernel,
      initrd: files.initrd,
      qmpSocket: join(files.workDir, 'qmp.sock'),
      agentSocket: join(files.workDir, 'agent.sock'),
      disk: { path: files.diskPath, format: g.diskFormat, cacheMode: g.cacheMode },
      forwards: [{ hostPort: files.hostPort, guestPort: GUEST_SERVICE_PORT }],
    };
  }

  async describe(
    config: ExperimentConfig,
    target: string = this.id,
  ): Promise<{ title: string; argv: string[] }[]> {
    const g = config.guest;
    const diskPath = describedDiskPath(g, target);
    const out = [describeDisk(this.qemu.qemuImg, g, target)];
    const spec = this.launchSpec(config, {
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
    for (const bench of config.benchmarks) {
      const runner = this.deps.runners?.[bench.id];
      const req = runner ? await recordRequest(runner, bench.params, GUEST_DISK_DEVICE) : null;
      const title = CATALOGUE[bench.id].title;
      if (req?.kind === 'service') {
        // The same place and layout startService uses in the guest.
        const spec = req.service;
        const layout = spec.layout(guestPlace(spec.name));
        out.push({
          title: `${title} (in the guest, fetched through hostfwd on 127.0.0.1)`,
          argv: [spec.program.payloadPath, ...layout.startArgs],
        });
        continue;
      }
      out.push({
        title: `${title} (in the guest)`,
        argv: req
          ? [benchPath(req.exec.binary), ...req.exec.args]
          : [`${PAYLOAD_LAYOUT.benchDir}/${bench.id}`],
      });
    }
    return out;
  }

  /**
   * The guest kernel, looked up once per run and kernel choice: the targets of one experiment
   * share it (asking apt which package is current costs 1–2 s per lookup here).
   */
  private kernel(ctx: PrepareContext): Promise<GuestKernel> {
    const choice = this.kernelChoice(ctx.config);
    const key = JSON.stringify([ctx.runId, choice]);
    if (this.lastKernel?.key !== key) {
      const kernel = findGuestKernel({
        cacheDir: this.deps.paths.cacheDir,
        commands: this.qemu.commands,
        ...choice,
        log: (m) => ctx.log('info', `${this.id}: ${m}`),
        signal: ctx.signal,
      });
      this.lastKernel = { key, kernel };
      // A failed lookup is not kept: the next target (or run) asks again.
      kernel.catch(() => {
        if (this.lastKernel?.kernel === kernel) this.lastKernel = null;
      });
    }
    return this.lastKernel!.kernel;
  }

  /** The kernel and the initramfs for this guest, each phase timed (the target's preparation cost). */
  private async bootImages(ctx: PrepareContext) {
    const since = (t: number): number => Math.round(performance.now() - t);
    let started = performance.now();
    const kernel = await this.kernel(ctx);
    const kernelLookupMs = since(started);
    started = performance.now();
    ctx.log(
      'info',
      `${this.id}: kernel ${kernel.vmlinuz} (${kernel.source}${kernel.modulesDir ? '' : ', no modules folder'})`,
    );
    const initrd = await buildInitramfs({
      paths: this.deps.paths,
      kernel,
      log: (m) => ctx.log('info', `${this.id}: ${m}`),
    });
    const initramfsMs = since(started);
    ctx.log(
      'info',
      `${this.id}: initramfs ${initrd.path} (${initrd.built ? 'built' : 'cached'}, ${Math.round(initrd.bytes / 1024)} KiB)`,
    );
    return { kernel, initrd, kernelLookupMs, initramfsMs };
  }

  /** Starts QEMU on the target's disk and waits for the agent (a cancel stays a cancel). */
  private async bootGuest(
    ctx: PrepareContext,
    disk: TargetDisk,
    images: { kernel: { vmlinuz: string }; initrd: { path: string } },
  ): Promise<{ vm: GuestVm; hostPort: number }> {
    const hostPort = await freePort('127.0.0.1');
    const spec = this.launchSpec(ctx.config, {
      kernel: images.kernel.vmlinuz,
      initrd: images.initrd.path,
      workDir: disk.workDir,
      diskPath: disk.diskPath,
      hostPort,
    });
    ctx.log('info', `${this.id}: ${[this.qemu.qemuBinary, ...buildQemuArgs(spec)].join(' ')}`);
    const vm = await GuestVm.start({
      qemuBinary: this.qemu.qemuBinary,
      spec,
      tracker: this.deps.tracker,
      label: `${this.id} guest`,
      onConsole: (d) => ctx.console.data(d),
      readyWhen: 'agent',
      bootTimeoutMs: BOOT_TIMEOUT_MS[this.accel],
      signal: ctx.signal,
      cwd: disk.workDir,
    }).catch((e: unknown) => {
      // A cancelled boot is a cancel, whichever step (QMP, agent, READY) it interrupted.
      if (ctx.signal.aborted)
        throw new AppFailure('CANCELLED', `${this.id}: cancelled while the guest booted`);
      throw this.bootFailure(e);
    });
    return { vm, hostPort };
  }

  /** QMP query-kvm on the running guest; it is stopped before any failure goes up. */
  private async acceleratorInUse(vm: GuestVm): Promise<{ enabled: boolean; present: boolean }> {
    let kvm: { enabled: boolean; present: boolean };
    try {
      kvm = await vm.qmp!.queryKvm();
    } catch (e) {
      await vm.dispose();
      throw new AppFailure(
        'GUEST_FAILED',
        `${this.id}: QMP query-kvm failed, so whether KVM is in use is unknown: ${errorText(e)}`,
      );
    }
    const mismatch = acceleratorMismatch(this.accel, kvm);
    if (mismatch) {
      await vm.dispose();
      throw new AppFailure('UNAVAILABLE', `${this.id}: QEMU started but ${mismatch}`);
    }
    return kvm;
  }

  /** Work folders (QMP and agent sockets) of engines that were killed before they removed them. */
  async sweepOrphans(): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
    const folders = await sweepDeadWorkDirs(this.deps.scratchDir, GUEST_WORK_PREFIX);
    return { containers: [], volumes: [], processes: folders.map((f) => `folder ${f}`) };
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    ctx.signal.throwIfAborted();
    await requireAccelerator(this.qemu, this.accel);
    const images = await this.bootImages(ctx);
    ctx.signal.throwIfAborted();
    const g = ctx.config.guest;
    const target = {
      tools: this.qemu,
      prepare: ctx,
      platformId: this.id,
      workPrefix: GUEST_WORK_PREFIX,
      scratchDir: this.deps.scratchDir,
    };
    return withTargetDisk(target, async (disk) => {
      const { vm, hostPort } = await this.bootGuest(ctx, disk, images);
      // From here on the guest runs: any failure must stop it before the error goes up.
      const kvm = await this.acceleratorInUse(vm);
      const started = performance.now();
      const cpuFacts = await this.guestCpuFacts(vm, ctx);
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

/**
 * A kernel the user named that cannot be booted from (missing, a folder, unreadable): refused
 * by the preflight, before the run folder exists, instead of QEMU failing at boot.
 */
async function unreadableUserKernel(
  path: string | undefined,
): Promise<{ reason: string; fix: string } | null> {
  if (path === undefined) return null;
  const fix =
    "set guest.kernelPath to a readable kernel image (a vmlinuz file), or leave it out to use the host's kernel";
  try {
    const st = await stat(path);
    if (!st.isFile()) return { reason: `the guest kernel ${path} is not a file`, fix };
    await access(path, constants.R_OK);
    return null;
  } catch (e) {
    return { reason: `the guest kernel ${path} cannot be read (${errorText(e)})`, fix };
  }
}
