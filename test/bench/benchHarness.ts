/**
 * Test helpers for the benchmark suite: builds the real binaries when they are
 * missing, runs them directly, and offers a PlatformSession that spawns them
 * on this host (a stand-in for a platform, with real processes).
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOAD_CLIENT_NAME } from '../../src/main/benchmarks/nginx/httpLoad';
import { BINARY_NAMES, type BinaryName } from '../../src/shared/catalogue';
import type { ServiceHandle, ServiceSpec } from '../../src/main/session/service';
import type { ExecRequest, ExecResult, PlatformSession } from '../../src/main/session/types';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BENCH_DIR = join(ROOT, 'resources', 'bench', 'build');
export const BINARIES: readonly BinaryName[] = BINARY_NAMES;

export function binaryPath(name: BinaryName): string {
  return join(BENCH_DIR, name);
}

/** The nginx benchmark's load client (a host tool built beside the benchmarks). */
export const LOAD_CLIENT = join(BENCH_DIR, LOAD_CLIENT_NAME);

function missing(): string[] {
  return [...BINARIES, LOAD_CLIENT_NAME].filter((b) => {
    try {
      accessSync(join(BENCH_DIR, b), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** Runs scripts/build-bench.sh when any binary is missing. */
export function ensureBenchBuilt(): Promise<void> {
  if (missing().length === 0) return Promise.resolve();
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [join(ROOT, 'scripts', 'build-bench.sh')],
      { cwd: ROOT },
      (error, _out, stderr) => {
        if (error) fail(new Error(`build-bench.sh failed: ${stderr}`));
        else if (missing().length > 0)
          fail(new Error(`still missing after build: ${missing().join(', ')}`));
        else done();
      },
    );
  });
}

export interface DirectRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a benchmark binary directly (argument array, no shell). */
export function runBinary(
  name: BinaryName,
  args: string[],
  timeoutMs = 60_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DirectRun> {
  return new Promise((done) => {
    const child = spawn(binaryPath(name), args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Parses the JSON of the single @@BENCHVISOR line (tests of the binaries themselves). */
export function resultJson(stdout: string): {
  benchmark: string;
  metrics: Record<string, number>;
  params: Record<string, number | string>;
} {
  const lines = stdout.split('\n').filter((l) => l.startsWith('@@BENCHVISOR '));
  if (lines.length !== 1)
    throw new Error(`expected exactly one result line, got ${lines.length}: ${stdout}`);
  return JSON.parse((lines[0] ?? '').slice('@@BENCHVISOR '.length)) as never;
}

/**
 * A PlatformSession that spawns the real binaries on this host, merging stderr
 * into stdout the way a pty does (with \r\n line ends).
 */
export class HostSession implements PlatformSession {
  readonly requests: ExecRequest[] = [];

  constructor(
    readonly diskTarget: string,
    private readonly service?: (spec: ServiceSpec, signal?: AbortSignal) => Promise<ServiceHandle>,
  ) {}

  exec(req: ExecRequest): Promise<ExecResult> {
    this.requests.push(req);
    const started = performance.now();
    return new Promise((done) => {
      const child = spawn(binaryPath(req.binary), req.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const keep = (b: Buffer): void => {
        out += b.toString().replace(/\n/g, '\r\n');
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      let failure: ExecResult['failure'];
      const timer = setTimeout(() => {
        failure = { code: 'TIMEOUT', message: `killed after ${req.timeoutMs} ms` };
        child.kill('SIGKILL');
      }, req.timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({
          exitCode: code,
          stdout: out,
          durationMs: performance.now() - started,
          ...(failure ? { failure } : {}),
        });
      });
    });
  }

  startService(spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle> {
    if (!this.service) return Promise.reject(new Error('no services in this session'));
    return this.service(spec, signal);
  }

  write(): boolean {
    return false;
  }

  meta(): Promise<Record<string, unknown>> {
    return Promise.resolve({ platform: 'test-host' });
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

/** Options for runner.run() in tests. */
export function repetition(timeoutMs = 60_000): { timeoutMs: number; signal: AbortSignal } {
  return { timeoutMs, signal: new AbortController().signal };
}

/** Is a process with this pid still there (and not a zombie)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
