/**
 * The unikernel platforms (unikernel-tcg, unikernel-kvm): our library OS
 * (resources/unikernel) linked with each benchmark into one image, booted
 * fresh by QEMU for every repetition. The same accelerator truth as the QEMU
 * platforms: the KVM preflight before anything starts, QMP query-kvm in every
 * boot, never a silent fallback to TCG.
 */
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binariesRunnableWith, CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  LIBRARY_OS_CAPABILITIES,
  LIBRARY_OS_LACKING,
  type Availability,
  type PlatformId,
} from '../../../shared/platforms';
import { AppFailure } from '../../../shared/result';
import { diskHostMeta, hostFilesystemOf } from '../../facts/hostFilesystem';
import { recordRequest } from '../../benchmarks/recordRequest';
import type { BenchmarkRunner } from '../../benchmarks/types';
import { ExecFileRunner, type CommandRunner } from '../../qemu/commands';
import { createDiskImage, qemuImgCreateArgs } from '../../qemu/disk';
import type { Accel } from '../../qemu/qemuArgs';
import type { ProcessTracker } from '../../process/tracker';
import type { AppPaths } from '../../util/appPaths';
import type { Platform, PlatformSession, PrepareContext } from '../platform';
import { defaultKvmProbeIO, kvmPreflight, type KvmProbeIO } from '../../qemu/kvmPreflight';
import { checkToolchain } from './toolchain';
import { buildUnikernelArgs, UNIKERNEL_DISK_PATH } from './unikernelArgs';
import { UnikernelSession } from './unikernelSession';

const PLATFORM_ID: Record<Accel, PlatformId> = { tcg: 'unikernel-tcg', kvm: 'unikernel-kvm' };
export const ENV_UNIKERNEL_DIR = 'BENCHVISOR_UNIKERNEL_DIR';

export interface UnikernelPlatformDeps {
  paths: Pick<AppPaths, 'resourcesDir'>;
  tracker: ProcessTracker;
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  env?: NodeJS.ProcessEnv;
  commands?: CommandRunner;
  qemuBinary?: string;
  qemuImg?: string;
  /** Built images (default: $BENCHVISOR_UNIKERNEL_DIR, else resources/unikernel/build). */
  imageDir?: string;
  kvmProbe?: KvmProbeIO;
  /** Folder for sockets and the disk image (default os.tmpdir(); short: socket paths are limited). */
  scratchDir?: string;
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
  private readonly commands: CommandRunner;
  private readonly qemuBinary: string;
  private readonly qemuImg: string;
  readonly imageDir: string;

  constructor(
    readonly accel: Accel,
    private readonly deps: UnikernelPlatformDeps,
  ) {
    this.id = PLATFORM_ID[accel];
    this.commands = deps.commands ?? new ExecFileRunner(deps.tracker);
    this.qemuBinary = deps.qemuBinary ?? 'qemu-system-x86_64';
    this.qemuImg = deps.qemuImg ?? 'qemu-img';
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
    const version = await this.commands.run(this.qemuBinary, ['--version']);
    if (version.spawnError || version.code !== 0)
      return {
        available: false,
        reason: `${this.qemuBinary} cannot be run (${version.spawnError ?? version.stderr.trim()})`,
        fix: 'install QEMU: sudo apt-get install qemu-system-x86 qemu-utils',
      };
    const img = await this.commands.run(this.qemuImg, ['--version']);
    if (img.spawnError || img.code !== 0)
      return {
        available: false,
        reason: `${this.qemuImg} cannot be run`,
        fix: 'sudo apt-get install qemu-utils',
      };
    const toolchain = await checkToolchain(this.commands);
    const details: Record<string, string> = {
      qemu: version.stdout.split('\n')[0]?.trim() ?? '',
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
    if (this.accel === 'kvm') {
      const kvm = await kvmPreflight(this.deps.kvmProbe ?? defaultKvmProbeIO(this.qemuBinary));
      if (!kvm.available) return { ...kvm, details: { ...details, ...kvm.details } };
      Object.assign(details, kvm.details);
    }
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
    const toolchain = await checkToolchain(this.commands);
    return {
      available: false,
      reason: `${path} is not built`,
      fix: toolchain.fix ?? 'npm run build:bench',
    };
  }

  async describe(config: ExperimentConfig): Promise<{ title: string; argv: string[] }[]> {
    const g = config.guest;
    const diskPath = join('<run folder>', 'scratch', this.id, `disk.${g.diskFormat}`);
    const out: { title: string; argv: string[] }[] = [];
    try {
      out.push({
        title: 'Benchmark disk',
        argv: [
          this.qemuImg,
          ...qemuImgCreateArgs({
            path: diskPath,
            format: g.diskFormat,
            sizeMiB: g.diskSizeMiB,
            preallocation: g.preallocation,
          }),
        ],
      });
    } catch (e) {
      out.push({
        title: `Benchmark disk: ${e instanceof Error ? e.message : String(e)}`,
        argv: [],
      });
    }
    for (const bench of config.benchmarks) {
      if (!this.candidates().includes(bench.id)) continue;
      const runner = this.deps.runners?.[bench.id];
      const req = runner ? await recordRequest(runner, bench.params, UNIKERNEL_DISK_PATH) : null;
      const args = req?.kind === 'exec' ? req.exec.args : [];
      const argv = buildUnikernelArgs({
        name: `benchvisor-${this.id}`,
        accel: this.accel,
        memoryMiB: g.memoryMiB,
        image: this.image(bench.id),
        args,
        qmpSocket: '<scratch>/qmp-N.sock',
        consoleLog: '<scratch>/console-N.log',
        disk: { path: diskPath, format: g.diskFormat, cacheMode: g.cacheMode },
        paused: true,
      });
      out.push({
        title: `${CATALOGUE[bench.id].title} (a fresh unikernel boot per repetition)`,
        argv: [this.qemuBinary, ...argv],
      });
    }
    return out;
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    ctx.signal.throwIfAborted();
    if (this.accel === 'kvm') {
      const kvm = await kvmPreflight(this.deps.kvmProbe ?? defaultKvmProbeIO(this.qemuBinary));
      if (!kvm.available)
        throw new AppFailure('UNAVAILABLE', `${kvm.reason}${kvm.fix ? `. Fix: ${kvm.fix}` : ''}`);
    }
    const version = await this.commands.run(this.qemuBinary, ['--version']);
    const qemuVersion = /version (\S+)/.exec(version.stdout)?.[1] ?? 'unknown';
    const workDir = await mkdtemp(join(this.deps.scratchDir ?? tmpdir(), 'bvu-'));
    // The benchmark disk lives in the run's scratch area, on the same host filesystem as every
    // other platform's disk target (not the system temp folder, which may be tmpfs); one folder
    // per target. Only sockets and console logs stay in workDir (socket paths are short).
    const diskDir = join(ctx.runDir, 'scratch', ctx.target ?? this.id);
    try {
      await mkdir(diskDir, { recursive: true });
      const g = ctx.config.guest;
      const diskPath = join(diskDir, `disk.${g.diskFormat}`);
      await createDiskImage(
        this.commands,
        {
          path: diskPath,
          format: g.diskFormat,
          sizeMiB: g.diskSizeMiB,
          preallocation: g.preallocation,
        },
        this.qemuImg,
        ctx.signal,
      );
      ctx.log(
        'info',
        `${this.id}: images in ${this.imageDir}; benchmark disk ${diskPath} (${g.diskFormat}, cache=${g.cacheMode})`,
      );
      return new UnikernelSession({
        id: this.id,
        accel: this.accel,
        ctx,
        guest: g,
        qemuBinary: this.qemuBinary,
        imageDir: this.imageDir,
        tracker: this.deps.tracker,
        workDir,
        diskDir,
        diskPath,
        diskHost: diskHostMeta(diskPath, await hostFilesystemOf(diskPath)),
        qemuVersion,
      });
    } catch (e) {
      await rm(workDir, { recursive: true, force: true });
      await rm(diskDir, { recursive: true, force: true });
      throw e;
    }
  }
}

/** Factory used by the composition root: `createUnikernelPlatform('tcg', deps)`. */
export function createUnikernelPlatform(accel: Accel, deps: UnikernelPlatformDeps): Platform {
  return new UnikernelPlatform(accel, deps);
}
