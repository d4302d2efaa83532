/**
 * The native platform: benchmark binaries run directly on this host through
 * node-pty, so the user sees their progress live and can type into them.
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import { accessSync, constants, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY_NAMES, type BenchmarkId, type BinaryName } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  FULL_OS_CAPABILITIES,
  type Availability,
  type Capability,
} from '../../../shared/platforms';
import type { BenchmarkRunner } from '../../benchmarks/types';
import type { ProcessTracker } from '../../process/tracker';
import type { ServiceHandle, ServiceSpec } from '../../session/service';
import type {
  ExecRequest,
  ExecResult,
  Platform,
  PlatformSession,
  PrepareContext,
} from '../platform';
import { BUILD_FIX, benchmarkSupport } from '../support';
import { describeBenchmarks, type DescribedCommand } from '../describeCommands';
import { scratchDirOf, targetScratchDir } from '../../util/targetScratch';
import { diskHostMeta } from '../../host/hostFilesystem';
import { createHostProbe, type HostProbe } from '../../host/hostProbe';
import { nativeMeta } from './hostFacts';
import { sweepNativeOrphans } from './orphans';
import { startNativeService } from './nativeService';
import { runInPty } from './ptyProcess';
import { prepareResultCopy } from './resultCopy';
import { commandHeader } from '../commandHeader';

const NATIVE_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES;
/** File the disk benchmark writes to, inside the run's scratch folder. */
const DISK_TARGET_FILE = 'disk-target.bin';
/**
 * Where the review step says the run folder is: absolute, as the real one is (a service's
 * configuration takes only absolute paths, so a relative stand-in failed to describe).
 */
const RUN_FOLDER_PLACEHOLDER = '/<run folder>';
/** Stands for the port a service gets when it starts (the review step shows the layout). */
const DESCRIBE_PORT = 8080;

export interface NativePlatformDeps {
  /** Folder holding the static benchmark binaries. */
  benchBinDir: string;
  tracker: ProcessTracker;
  /** Benchmark runners: describe() shows their exact command lines; supports() asks their checks. */
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  /**
   * How the host is read: every sample's meta, and /proc for a server's workers and orphans
   * (composition.ts passes the engine's probe; default: a probe of this machine, made once).
   */
  host?: Pick<HostProbe, 'facts' | 'cpuFacts' | 'filesystemOf' | 'proc'>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class NativePlatform implements Platform {
  readonly id = 'native' as const;
  readonly capabilities = NATIVE_CAPABILITIES;

  /** How this platform and its sessions read the host. */
  readonly host: NonNullable<NativePlatformDeps['host']>;

  constructor(private readonly deps: NativePlatformDeps) {
    this.host = deps.host ?? createHostProbe();
  }

  binaryPath(name: BinaryName): string {
    return join(this.deps.benchBinDir, name);
  }

  private missingBinaries(): BinaryName[] {
    return BINARY_NAMES.filter((b) => !isExecutable(this.binaryPath(b)));
  }

  probe(): Promise<Availability> {
    const missing = this.missingBinaries();
    if (missing.length === BINARY_NAMES.length) {
      return Promise.resolve({
        available: false,
        reason: `the benchmark binaries are not built (nothing in ${this.deps.benchBinDir})`,
        fix: BUILD_FIX,
      });
    }
    const details = { benchBinDir: this.deps.benchBinDir };
    if (missing.length > 0) {
      return Promise.resolve({
        available: true,
        reason: `some benchmark binaries are missing: ${missing.join(', ')}`,
        fix: BUILD_FIX,
        details,
      });
    }
    return Promise.resolve({ available: true, details });
  }

  supports(benchmark: BenchmarkId): Promise<Availability> {
    return benchmarkSupport(benchmark, this.deps);
  }

  describe(config: ExperimentConfig, target: string): Promise<DescribedCommand[]> {
    // The review step's stand-in for this target's scratch folder (prepare uses the real one).
    const scratch = targetScratchDir(RUN_FOLDER_PLACEHOLDER, target);
    return describeBenchmarks(config, this.deps.runners, {
      diskTarget: join(scratch, DISK_TARGET_FILE),
      service: (spec, title) => {
        // The same layout startService uses; the port is chosen when it starts.
        const layout = spec.layout({
          prefix: join(scratch, spec.name),
          listenAddress: '127.0.0.1',
          port: DESCRIBE_PORT,
          asRoot: process.getuid?.() === 0,
          logRequests: true,
        });
        return {
          title: `${title} (served natively on 127.0.0.1, fetched by the host)`,
          argv: [spec.program.locate() ?? spec.name, ...layout.startArgs],
        };
      },
      exec: (exec, title, benchmark) => ({
        title,
        argv: exec
          ? [this.binaryPath(exec.binary), ...exec.args]
          : [join(this.deps.benchBinDir, benchmark)],
      }),
    });
  }

  /** Stops services that runs killed with SIGKILL left behind (see orphans.ts). */
  async sweepOrphans(): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
    return { containers: [], volumes: [], processes: await sweepNativeOrphans(this.host.proc) };
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    const scratch = scratchDirOf(ctx);
    mkdirSync(scratch, { recursive: true });
    ctx.log('info', `native: binaries from ${this.deps.benchBinDir}, scratch folder ${scratch}`);
    return new NativeSession(this, this.deps, scratch, ctx);
  }
}

class NativeSession implements PlatformSession {
  readonly diskTarget: string;
  private writer: ((data: string) => void) | null = null;
  private readonly services = new Set<ServiceHandle>();
  private disposed = false;

  constructor(
    private readonly platform: NativePlatform,
    private readonly deps: NativePlatformDeps,
    private readonly scratch: string,
    private readonly ctx: PrepareContext,
  ) {
    this.diskTarget = join(scratch, DISK_TARGET_FILE);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (this.disposed) {
      return {
        exitCode: null,
        stdout: '',
        durationMs: 0,
        failure: { code: 'GUEST_FAILED', message: 'the native session was disposed' },
      };
    }
    const file = this.platform.binaryPath(req.binary);
    this.ctx.console.data(commandHeader('native', [file, ...req.args]));
    const signal = req.signal ? AbortSignal.any([req.signal, this.ctx.signal]) : this.ctx.signal;
    const copy = prepareResultCopy(this.scratch, process.env);
    const res = await runInPty({
      file,
      args: req.args,
      cwd: this.scratch,
      env: copy.env,
      timeoutMs: req.timeoutMs,
      signal,
      tracker: this.deps.tracker,
      label: `native ${req.binary}`,
      onData: (d) => this.ctx.console.data(d),
      onStart: (write) => {
        this.writer = write;
      },
    });
    this.writer = null;
    const settled = copy.settle(res.output);
    if (settled.recovered) {
      this.ctx.log(
        'warn',
        `native ${req.binary}: the terminal lost the result line; it was read from the result file instead`,
      );
    }
    const result: ExecResult = {
      exitCode: res.exitCode,
      stdout: settled.stdout,
      durationMs: res.durationMs,
    };
    if (res.spawnError) {
      result.failure = { code: 'GUEST_FAILED', message: `cannot start ${file}: ${res.spawnError}` };
    } else if (res.killedBy === 'timeout') {
      result.failure = {
        code: 'TIMEOUT',
        message: `${req.binary} did not finish within ${Math.round(req.timeoutMs / 1000)} s and was killed`,
      };
    } else if (res.killedBy === 'abort') {
      result.failure = { code: 'CANCELLED', message: `${req.binary} was cancelled` };
    }
    return result;
  }

  async startService(spec: ServiceSpec, reqSignal?: AbortSignal): Promise<ServiceHandle> {
    const workDir = join(this.scratch, spec.name);
    mkdirSync(workDir, { recursive: true });
    const signal = reqSignal ? AbortSignal.any([reqSignal, this.ctx.signal]) : this.ctx.signal;
    const handle = await startNativeService(spec, {
      tracker: this.deps.tracker,
      proc: this.platform.host.proc,
      workDir,
      signal,
    });
    this.ctx.console.data(commandHeader('native', [spec.name, 'serving at', handle.url]));
    const tracked: ServiceHandle = {
      url: handle.url,
      stop: async () => {
        this.services.delete(tracked);
        await handle.stop();
      },
    };
    this.services.add(tracked);
    return tracked;
  }

  write(data: string): boolean {
    if (!this.writer) return false;
    this.writer(data);
    return true;
  }

  async meta(): Promise<SampleMetaFields> {
    const host = this.platform.host;
    return {
      ...nativeMeta(host.facts()),
      ...(await host.cpuFacts()),
      cpuFactsFrom: 'host',
      ...diskHostMeta(this.diskTarget, await host.filesystemOf(this.diskTarget)),
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of [...this.services]) await h.stop().catch(() => undefined);
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

export function createNativePlatform(deps: NativePlatformDeps): NativePlatform {
  return new NativePlatform(deps);
}
