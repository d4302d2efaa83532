/**
 * The unikernel platforms (unikernel-tcg, unikernel-kvm): our library OS
 * (resources/unikernel) linked with each benchmark into one image, booted
 * fresh by QEMU for every repetition. The same accelerator truth as the QEMU
 * platforms: the KVM preflight before anything starts, QMP query-kvm in every
 * boot, never a silent fallback to TCG.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { binariesRunnableWith, CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  LIBRARY_OS_CAPABILITIES,
  LIBRARY_OS_LACKING,
  type Availability,
  type PlatformId,
} from '../../../shared/platforms';
import { describeBenchmarks, type DescribedCommand } from '../describeCommands';
import type { BenchmarkRunner } from '../../benchmarks/types';
import type { Accel } from '../../qemu/qemuArgs';
import type { AppPaths } from '../../util/appPaths';
import { createHostProbe, type HostProbe } from '../../host/hostProbe';
import type { Platform, PlatformSession, PrepareContext, ToolVersionCommand } from '../platform';
import {
  probeAccelerator,
  probeQemuTools,
  qemuTools,
  qemuToolVersions,
  qemuVersionOf,
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
import { checkToolchain } from './toolchain';
import { buildUnikernelArgs, UNIKERNEL_DISK_PATH } from './unikernelArgs';
import { UnikernelSession } from './unikernelSession';

/** Name prefix of a target's work folder (sockets) in the scratch or temp folder. */
const UNIKERNEL_WORK_PREFIX = 'bvu-';

const PLATFORM_ID: Record<Accel, PlatformId> = { tcg: 'unikernel-tcg', kvm: 'unikernel-kvm' };
export const ENV_UNIKERNEL_DIR = 'BENCHVISOR_UNIKERNEL_DIR';

export interface UnikernelPlatformDeps extends QemuToolOptions {
  paths: Pick<AppPaths, 'resourcesDir'>;
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  env?: NodeJS.ProcessEnv;
  /** Built images (default: $BENCHVISOR_UNIKERNEL_DIR, else resources/unikernel/build). */
  imageDir?: string;
  /** Folder for sockets and the disk image (default os.tmpdir(); short: socket paths are limited). */
  scratchDir?: string;
  /** The engine's host probe: the disk's filesystem (default: a probe of this machine). */
  host?: Pick<HostProbe, 'filesystemOf'>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export class UnikernelPlatform implements Platform {
  readonly id: PlatformId;
  readonly capabilities = LIBRARY_OS_CAPABILITIES;
  readonly lacking = LIBRARY_OS_LACKING;
  private readonly qemu: QemuTools;
  readonly tools: readonly ToolVersionCommand[];
  readonly imageDir: string;
  private readonly host: NonNullable<UnikernelPlatformDeps['host']>;

  constructor(
    readonly accel: Accel,
    private readonly deps: UnikernelPlatformDeps,
  ) {
    this.id = PLATFORM_ID[accel];
    this.qemu = qemuTools(deps);
    this.tools = qemuToolVersions(this.qemu);
    this.host = deps.host ?? createHostProbe();
    this.imageDir =
      deps.imageDir ??
      (deps.env ?? process.env)[ENV_UNIKERNEL_DIR] ??
      join(deps.paths.resourcesDir, 'unikernel', 'build');
  }

  private image(benchmark: string): string {
    return join(this.imageDir, `${benchmark}.img`);
  }

  /** The benchmarks this platform can run at all (the images build.sh links, from the catalogue). */
  private candidates(): BenchmarkId[] {
    return binariesRunnableWith(this.capabilities);
  }

  async probe(): Promise<Availability> {
    const tools = await probeQemuTools(this.qemu);
    if (!tools.ok) return tools.availability;
    const toolchain = await checkToolchain(this.qemu.commands);
    const details: Record<string, string> = {
      qemu: tools.versionLine,
      images: this.imageDir,
      toolchain: toolchain.notes.join('; '),
    };
    const built = await Promise.all(this.candidates().map((b) => exists(this.image(b))));
    if (!built.some(Boolean))
      return {
        available: false,
        reason: toolchain.ok
          ? `the unikernel images are not built (${this.imageDir})`
          : `the unikernel images are not built and cannot be built here (${toolchain.notes.filter((n) => n.includes('missing')).join('; ')})`,
        fix: toolchain.fix ?? 'npm run build:bench',
        details,
      };
    if (!toolchain.ok) details.rebuild = `the images cannot be rebuilt here: ${toolchain.fix}`;
    const refused = await probeAccelerator(this.qemu, this.accel, details);
    if (refused) return refused;
    return { available: true, details };
  }

  async supports(benchmark: BenchmarkId): Promise<Availability> {
    if (!CATALOGUE[benchmark].binary)
      return {
        available: false,
        reason: 'the library OS runs one program per image, not a service',
      };
    const path = this.image(benchmark);
    if (await exists(path)) return { available: true };
    const toolchain = await checkToolchain(this.qemu.commands);
    return {
      available: false,
      reason: `${path} is not built`,
      fix: toolchain.fix ?? 'npm run build:bench',
    };
  }

  async describe(config: ExperimentConfig, target: string): Promise<DescribedCommand[]> {
    const g = config.guest;
    const diskPath = describedDiskPath(g, target);
    const boot = (benchmark: BenchmarkId, args: readonly string[], title: string) => ({
      title: `${title} (a fresh unikernel boot per repetition)`,
      argv: [
        this.qemu.qemuBinary,
        ...buildUnikernelArgs({
          name: `benchvisor-${this.id}`,
          accel: this.accel,
          memoryMiB: g.memoryMiB,
          image: this.image(benchmark),
          args: [...args],
          qmpSocket: '<scratch>/qmp-N.sock',
          consoleLog: '<scratch>/console-N.log',
          disk: { path: diskPath, format: g.diskFormat, cacheMode: g.cacheMode },
          paused: true,
        }),
      ],
    });
    const candidates = this.candidates();
    const benchmarks = await describeBenchmarks(config, this.deps.runners, {
      diskTarget: UNIKERNEL_DISK_PATH,
      skips: (benchmark) => !candidates.includes(benchmark),
      // A library OS serves nothing (no candidate is a service): the image boots with no arguments.
      service: (_service, title, benchmark) => boot(benchmark, [], title),
      exec: (exec, title, benchmark) => boot(benchmark, exec?.args ?? [], title),
    });
    return [describeDisk(this.qemu.qemuImg, g, target), ...benchmarks];
  }

  /** Work folders (QMP and agent sockets) of engines that were killed before they removed them. */
  sweepOrphans(): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
    return sweepOrphanWorkDirs(this.deps.scratchDir, UNIKERNEL_WORK_PREFIX);
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    ctx.signal.throwIfAborted();
    await requireAccelerator(this.qemu, this.accel);
    const qemuVersion = await qemuVersionOf(this.qemu);
    const g = ctx.config.guest;
    const target = {
      tools: this.qemu,
      prepare: ctx,
      workPrefix: UNIKERNEL_WORK_PREFIX,
      scratchDir: this.deps.scratchDir,
      host: this.host,
    };
    return withTargetDisk(target, (disk) => {
      ctx.log(
        'info',
        `${this.id}: images in ${this.imageDir}; benchmark disk ${disk.diskPath} (${g.diskFormat}, cache=${g.cacheMode})`,
      );
      return Promise.resolve(
        new UnikernelSession({
          id: this.id,
          accel: this.accel,
          ctx,
          guest: g,
          qemuBinary: this.qemu.qemuBinary,
          imageDir: this.imageDir,
          tracker: this.deps.tracker,
          workDir: disk.workDir,
          diskDir: disk.diskDir,
          diskPath: disk.diskPath,
          diskHost: { ...disk.hostMeta, diskCreateMs: disk.createMs },
          qemuVersion,
        }),
      );
    });
  }
}

/** Factory used by the composition root: `createUnikernelPlatform('tcg', deps)`. */
export function createUnikernelPlatform(accel: Accel, deps: UnikernelPlatformDeps): Platform {
  return new UnikernelPlatform(accel, deps);
}
