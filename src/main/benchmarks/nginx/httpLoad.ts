/**
 * The host side of the nginx benchmark: runs our own load client (resources/bench/httpload.c,
 * a static C program built by `npm run build:bench`) against one loopback URL a fixed number
 * of times over keep-alive connections. The client verifies every response (status 200,
 * Content-Length and body size) and reports time, MB/s, latency percentiles and its own CPU use
 * on its @@BENCHVISOR line; this module starts it (argument array, tracked until it ends),
 * enforces the timeout and cancel, and turns the line into a report.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Availability } from '../../../shared/platforms';
import { err, ok, type Result } from '../../../shared/result';
import type { ProcessTracker } from '../../process/tracker';
import { parseResultLine } from '../resultLine';
import { HTTP_CLIENT_NAME } from '../../util/appResources';

/** The client's file name in the benchmark build folder (scripts/build-bench.sh builds it). */
export const LOAD_CLIENT_NAME = HTTP_CLIENT_NAME;

export interface HttpLoadOptions {
  /** Must be a loopback URL (127.0.0.0/8 or ::1): we never load anything else. */
  url: string;
  requests: number;
  connections: number;
  /** Body size every response must have (the served file's size). */
  expectedBytesPerResponse: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpLoadReport {
  /** Wall time from opening the connections to the last complete response. */
  totalMs: number;
  /** Body megabytes (10^6 bytes) per second over totalMs. */
  mbps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Body bytes received in complete 200 responses. */
  bytes: number;
  /** Responses that were complete and verified. */
  responses: number;
  /** The client's own CPU time (user + system) over totalMs, in % of one CPU (it is one thread). */
  clientCpuPercent: number;
  clientCpuSeconds: number;
}

export type HttpLoadFn = (opts: HttpLoadOptions) => Promise<Result<HttpLoadReport>>;

export interface HttpLoadDeps {
  /** Absolute path of the httpload binary. */
  clientPath: string;
  /** Tracks the client process while it runs (cancel / crash cleanup). */
  tracker?: ProcessTracker;
}

/** How to build the client (it is built with the benchmarks). */
const CLIENT_BUILD_FIX =
  'run "npm run build:bench" (needs a C compiler and static libc: apt-get install build-essential)';

/** Seconds without a completed response after which the client itself gives up. */
const STALL_TIMEOUT_S = 30;
/** How many of the client's error lines are quoted in a failure. */
const ERROR_LINES = 2;

/** Only loopback targets are allowed (this machine's own servers); the client checks again. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    const host = u.hostname;
    return (
      u.protocol === 'http:' && (host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))
    );
  } catch {
    return false;
  }
}

function checkOptions(o: HttpLoadOptions): string | null {
  if (!isLoopbackUrl(o.url)) return `load target must be a loopback http URL, got "${o.url}"`;
  if (!Number.isInteger(o.requests) || o.requests < 1)
    return `requests must be a positive integer, got ${o.requests}`;
  if (!Number.isInteger(o.connections) || o.connections < 1) {
    return `connections must be a positive integer, got ${o.connections}`;
  }
  if (!Number.isInteger(o.expectedBytesPerResponse) || o.expectedBytesPerResponse < 0) {
    return `expectedBytesPerResponse must be a non-negative integer, got ${o.expectedBytesPerResponse}`;
  }
  if (!(o.timeoutMs > 0)) return `timeoutMs must be positive, got ${o.timeoutMs}`;
  return null;
}

/** The client's command line for one load. */
export function loadClientArgs(o: HttpLoadOptions): string[] {
  return [
    '--url',
    o.url,
    '--requests',
    String(o.requests),
    '--connections',
    String(Math.min(o.connections, o.requests)),
    '--expect-bytes',
    String(o.expectedBytesPerResponse),
    '--timeout',
    String(Math.min(STALL_TIMEOUT_S, Math.max(1, o.timeoutMs / 1000))),
  ];
}

/** Is the client built? (The nginx benchmark's check.) */
export async function loadClientAvailable(clientPath: string): Promise<Availability> {
  try {
    await access(clientPath, constants.X_OK);
    return { available: true, details: { client: clientPath } };
  } catch {
    return {
      available: false,
      reason: `the load client ${clientPath} is not built`,
      fix: CLIENT_BUILD_FIX,
    };
  }
}

/** The client's default place: beside the benchmark binaries. */
export function loadClientPath(benchBinDir: string): string {
  return join(benchBinDir, LOAD_CLIENT_NAME);
}

interface ClientExit {
  code: number | null;
  stdout: string;
  stderr: string;
  ended?: 'timeout' | 'cancelled';
  spawnError?: string;
}

function runClient(deps: HttpLoadDeps, o: HttpLoadOptions): Promise<ClientExit> {
  return new Promise((done) => {
    const child = spawn(deps.clientPath, loadClientArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ended: ClientExit['ended'];
    const kill = (): void => void child.kill('SIGKILL');
    const untrack = deps.tracker?.track({ label: `${LOAD_CLIENT_NAME} load client`, kill });
    const timer = setTimeout(() => {
      ended = 'timeout';
      kill();
    }, o.timeoutMs);
    const onAbort = (): void => {
      ended = 'cancelled';
      kill();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const finish = (code: number | null, spawnError?: string): void => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      untrack?.();
      done({
        code,
        stdout,
        stderr,
        ...(ended ? { ended } : {}),
        ...(spawnError ? { spawnError } : {}),
      });
    };
    child.once('error', (e) => finish(null, e.message));
    child.once('close', (code) => finish(code));
  });
}

/** The client's own "error:" lines (what failed its check), else the end of its stderr. */
function clientComplaint(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.includes('error:'));
  return (errors.length > 0 ? errors : lines).slice(-ERROR_LINES).join(' | ');
}

function reportOf(metrics: Record<string, number>): HttpLoadReport {
  const m = (k: string): number => metrics[k] ?? 0;
  return {
    totalMs: m('totalMs'),
    mbps: m('mbps'),
    p50Ms: m('p50Ms'),
    p90Ms: m('p90Ms'),
    p99Ms: m('p99Ms'),
    maxMs: m('maxMs'),
    bytes: m('bytes'),
    responses: m('requests'),
    clientCpuPercent: m('cpuPercent'),
    clientCpuSeconds: m('cpuUserS') + m('cpuSysS'),
  };
}

/** Runs the load; a transfer that is not exactly requests x size comes back as an error. */
export async function runHttpLoad(
  deps: HttpLoadDeps,
  opts: HttpLoadOptions,
): Promise<Result<HttpLoadReport>> {
  const bad = checkOptions(opts);
  if (bad) return err('INVALID_INPUT', bad);
  if (opts.signal?.aborted) return err('CANCELLED', 'the load was cancelled before it started');
  const exit = await runClient(deps, opts);
  if (exit.ended === 'timeout')
    return err('TIMEOUT', `the HTTP load did not finish within ${opts.timeoutMs} ms`);
  if (exit.ended === 'cancelled') return err('CANCELLED', 'the HTTP load was cancelled');
  if (exit.spawnError !== undefined)
    return err('TOOL_MISSING', `the load client could not start: ${exit.spawnError}`);
  const line = parseResultLine(exit.stdout, 'nginx');
  const report = line.ok ? reportOf(line.value.metrics) : undefined;
  if (exit.code !== 0 || report === undefined) {
    const complaint = clientComplaint(exit.stderr) || (line.ok ? '' : line.error.message);
    return err('BENCHMARK_FAILED', `HTTP load failed (exit ${exit.code}): ${complaint}`, report);
  }
  const expected = opts.requests * opts.expectedBytesPerResponse;
  if (report.bytes !== expected || report.responses !== opts.requests) {
    return err(
      'BENCHMARK_FAILED',
      `expected ${opts.requests} responses of ${opts.expectedBytesPerResponse} bytes (${expected} bytes) but got ` +
        `${report.responses} verified responses with ${report.bytes} bytes`,
      report,
    );
  }
  return ok(report);
}

/** runHttpLoad bound to a client binary (what the nginx runner calls). */
export function createHttpLoad(deps: HttpLoadDeps): HttpLoadFn {
  return (opts) => runHttpLoad(deps, opts);
}
