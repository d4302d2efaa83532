/**
 * The native platform: benchmark binaries run directly on this host through
 * node-pty, so the user sees their progress live and can type into them.
 */
import { accessSync, constants, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  FULL_OS_CAPABILITIES,
  type Availability,
  type Capability,
} from '../../../shared/platforms';
import type { BenchmarkRunner } from '../../benchmarks/types';
import { recordExecRequest } from '../../experiment/recordArgs';
import type { ProcessTracker } from '../../process/tracker';
import type {
  BinaryName,
  ExecRequest,
  ExecResult,
  NginxHandle,
  NginxRequest,
  Platform,
  PlatformSession,
  PrepareContext,
} from '../platform';
import { nativeMeta } from './hostFacts';
import { sweepNativeOrphans } from './orphans';
import { runInPty } from './ptyProcess';
import { prepareResultCopy } from './resultCopy';

export const BINARY_NAMES: readonly BinaryName[] = [
  'linpack',
  'memsweep',
  'diskwrite',
  'forksum',
  'syscall',
];
const NATIVE_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES;
/** File diskwrite writes to, inside the run's scratch folder. */
const DISK_TARGET_FILE = 'diskwrite.bin';
const BUILD_FIX =
  'run "npm run build:bench" (needs a C compiler and static libc: apt-get install build-essential)';

/** The nginx pieces of the benchmarks module (src/main/benchmarks/nginx/nativeNginx.ts). */
export interface NativeNginx {
  find(): Availability | Promise<Availability>;
  start(opts: {
    tracker: ProcessTracker;
    workDir: string;
    fileSize: number;
    signal?: AbortSignal;
  }): Promise<NginxHandle>;
}

export interface NativePlatformDeps {
  /** Folder holding the static benchmark binaries. */
  benchBinDir: string;
  tracker: ProcessTracker;
  /** Benchmark runners, used only to show exact command lines in describe(). */
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  nginx?: NativeNginx;
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

  constructor(private readonly deps: NativePlatformDeps) {}

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

  async supports(benchmark: BenchmarkId): Promise<Availability> {
    if (benchmark === 'nginx') {
      if (!this.deps.nginx)
        return {
          available: false,
          reason: 'the nginx benchmark module is not present in this build',
        };
      return this.deps.nginx.find();
    }
    if (!CATALOGUE[benchmark].binary)
      return { available: false, reason: `${benchmark} has no native implementation` };
    const path = this.binaryPath(benchmark as BinaryName);
    if (!isExecutable(path))
      return { available: false, reason: `${path} is not built`, fix: BUILD_FIX };
    return { available: true };
  }

  async describe(config: ExperimentConfig): Promise<{ title: string; argv: string[] }[]> {
    const out: { title: string; argv: string[] }[] = [];
    const diskTarget = join('<run folder>', 'scratch', 'native', DISK_TARGET_FILE);
    for (const bench of config.benchmarks) {
      if (bench.id === 'nginx') {
        out.push({
          title: 'nginx (served natively on 127.0.0.1, fetched by the host)',
          argv: [
            'nginx',
            '-p',
            '<run folder>/scratch/native/nginx',
            '-c',
            'nginx.conf',
            '-e',
            'error.log',
          ],
        });
        continue;
      }
      const runner = this.deps.runners?.[bench.id];
      const req = runner ? await recordExecRequest(runner, bench.params, diskTarget) : null;
      const argv = req
        ? [this.binaryPath(req.binary), ...req.args]
        : [this.binaryPath(bench.id as BinaryName)];
      out.push({ title: CATALOGUE[bench.id].title, argv });
    }
    return out;
  }

  /** Stops nginx servers that runs killed with SIGKILL left behind (see orphans.ts). */
  async sweepOrphans(): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
    return { containers: [], volumes: [], processes: await sweepNativeOrphans() };
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    const scratch = join(ctx.runDir, 'scratch', 'native');
    mkdirSync(scratch, { recursive: true });
    ctx.log('info', `native: binaries from ${this.deps.benchBinDir}, scratch folder ${scratch}`);
    return new NativeSession(this, this.deps, scratch, ctx);
  }
}

class NativeSession implements PlatformSession {
  readonly diskTarget: string;
  private writer: ((data: string) => void) | null = null;
  private readonly nginxHandles = new Set<NginxHandle>();
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
    this.ctx.console.data(`\r\n$ ${[file, ...req.args].join(' ')}\r\n`);
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

  async startNginx(req: NginxRequest): Promise<NginxHandle> {
    if (!this.deps.nginx)
      throw new Error('the nginx benchmark module is not present in this build');
    const workDir = join(this.scratch, 'nginx');
    mkdirSync(workDir, { recursive: true });
    const signal = req.signal ? AbortSignal.any([req.signal, this.ctx.signal]) : this.ctx.signal;
    const handle = await this.deps.nginx.start({
      tracker: this.deps.tracker,
      workDir,
      fileSize: req.fileSize,
      signal,
    });
    this.ctx.console.data(`\r\nnginx serving ${req.fileSize} bytes at ${handle.url}\r\n`);
    const tracked: NginxHandle = {
      url: handle.url,
      stop: async () => {
        this.nginxHandles.delete(tracked);
        await handle.stop();
      },
    };
    this.nginxHandles.add(tracked);
    return tracked;
  }

  write(data: string): boolean {
    if (!this.writer) return false;
    this.writer(data);
    return true;
  }

  meta(): Promise<Record<string, unknown>> {
    return Promise.resolve(nativeMeta());
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of [...this.nginxHandles]) await h.stop().catch(() => undefined);
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

export function createNativePlatform(deps: NativePlatformDeps): NativePlatform {
  return new NativePlatform(deps);
}
