/**
 * A service on this host for the native platform: its files in a scratch
 * prefix (no root, no system config or path touched), started on a free
 * loopback port, waited for until it answers, stopped again. The process is
 * tracked in the ProcessTracker from start to stop. Any ServiceSpec works;
 * nothing here knows which benchmark asked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { AppFailure } from '../../../shared/result';
import type { ProcReader } from '../../host/procReader';
import type { ProcessTracker } from '../../process/tracker';
import {
  serviceUrl,
  type ServiceHandle,
  type ServiceLayout,
  type ServiceSpec,
} from '../../session/service';
import { freePort, LOOPBACK } from '../../util/freePort';
import { settleWithin } from '../../util/deadline';

/** How long a service may take to answer its first request. */
const START_TIMEOUT_MS = 10_000;
/** Pause between readiness probes. */
const READY_POLL_MS = 50;
/** How long a graceful stop (SIGTERM) may take before SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** Attempts with a fresh port when another program grabbed the one we picked. */
const PORT_ATTEMPTS = 3;
/** Chunk used to write a generated file (any size up to the catalogue's 1 GiB). */
const WRITE_CHUNK = 1024 * 1024;

/** Writes `size` bytes of a repeating non-zero pattern (not compressible to nothing by accident). */
export async function writeGeneratedFile(path: string, size: number): Promise<void> {
  if (!Number.isInteger(size) || size < 1)
    throw new AppFailure('INVALID_INPUT', `file size must be a positive integer, got ${size}`);
  const chunk = Buffer.alloc(Math.min(size, WRITE_CHUNK));
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const n = Math.min(chunk.length, size - written);
      const { bytesWritten } = await file.write(chunk, 0, n, written);
      written += bytesWritten;
    }
  } finally {
    await file.close();
  }
}

/** One HEAD request; resolves with the status code or null when nothing answered. */
function probe(url: string): Promise<number | null> {
  return new Promise((done) => {
    const req = request(url, { method: 'HEAD', agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      done(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(null));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Pids of the direct children of `pid` (a server's workers), read through the host's /proc reader. */
function childPids(proc: Pick<ProcReader, 'processes'>, pid: number): number[] {
  return proc
    .processes()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export interface StartNativeServiceOptions {
  tracker: ProcessTracker;
  /** The host probe's /proc reader: a server's workers are found by their parent pid. */
  proc: Pick<ProcReader, 'processes'>;
  /** Scratch folder that becomes the service's prefix (created if missing). */
  workDir: string;
  signal?: AbortSignal;
  /** Loopback address to listen on (default 127.0.0.1). */
  listenAddress?: string;
}

/** A running native service (ServiceHandle plus facts for tests and logs). */
export interface NativeServiceHandle extends ServiceHandle {
  pid: number;
  port: number;
  prefix: string;
}

/** Creates the prefix: folders, text files and the generated file. */
async function writeLayout(prefix: string, layout: ServiceLayout): Promise<void> {
  for (const d of layout.dirs) await mkdir(join(prefix, d), { recursive: true });
  for (const f of layout.files) {
    await mkdir(dirname(join(prefix, f.path)), { recursive: true });
    await writeFile(join(prefix, f.path), f.content);
  }
  if (layout.generated) {
    await mkdir(dirname(join(prefix, layout.generated.path)), { recursive: true });
    await writeGeneratedFile(join(prefix, layout.generated.path), layout.generated.bytes);
  }
}

/** Starts the service, waits until it serves its URL, and tracks it until stop(). */
export async function startNativeService(
  spec: ServiceSpec,
  opts: StartNativeServiceOptions,
): Promise<NativeServiceHandle> {
  const program = spec.program.locate();
  if (program === null)
    throw new AppFailure('TOOL_MISSING', `${spec.name} is not installed; fix: ${spec.program.fix}`);
  const prefix = resolve(opts.workDir);
  await mkdir(prefix, { recursive: true });
  let lastError = '';
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    opts.signal?.throwIfAborted();
    const address = opts.listenAddress ?? LOOPBACK;
    const port = await freePort(address);
    const layout = spec.layout({
      prefix,
      listenAddress: address,
      port,
      // As root, workers would switch to "nobody", who may not read a private scratch folder.
      asRoot: process.getuid?.() === 0,
      logRequests: true,
    });
    await writeLayout(prefix, layout);
    const child = spawn(program, layout.startArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = await waitForService(child, {
      ...opts,
      name: spec.name,
      url: serviceUrl(address, port, layout.urlPath),
      port,
      prefix,
      errorLog: layout.errorLog ? join(prefix, layout.errorLog) : null,
    });
    if ('handle' in started) return started.handle;
    lastError = started.error;
    if (!/address already in use/i.test(lastError)) break;
  }
  throw new AppFailure('UNAVAILABLE', `${spec.name} did not start: ${lastError}`);
}

interface WaitContext extends StartNativeServiceOptions {
  name: string;
  url: string;
  port: number;
  prefix: string;
  errorLog: string | null;
}

/** Tracks the child, waits for it to answer; returns the handle, or why it failed (after cleaning up). */
async function waitForService(
  child: ChildProcess,
  ctx: WaitContext,
): Promise<{ handle: NativeServiceHandle } | { error: string }> {
  let output = '';
  const keep = (b: Buffer): void => {
    if (output.length < 4096) output += b.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>((done) => {
    child.once('exit', () => {
      exited = true;
      done();
    });
    child.once('error', (e) => {
      output += e.message;
      exited = true;
      done();
    });
  });
  const pid = child.pid ?? -1;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited && pid > 0) {
        const workers = childPids(ctx.proc, pid);
        signal(pid, 'SIGTERM'); // a server's master stops its workers on SIGTERM
        if ((await settleWithin(exitPromise, STOP_GRACE_MS)) === 'timeout') {
          for (const w of [pid, ...workers, ...childPids(ctx.proc, pid)]) signal(w, 'SIGKILL');
          await exitPromise;
        }
        // A worker must never outlive its master (it would hold the port).
        for (const w of workers) signal(w, 'SIGKILL');
      }
      untrack();
    })();
    return stopping;
  };
  const untrack = ctx.tracker.track({ label: `${ctx.name} native (pid ${pid})`, kill: stop });

  const { url } = ctx;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!exited && Date.now() < deadline && !ctx.signal?.aborted) {
    const status = await probe(url);
    if (status === 200) {
      return {
        handle: { url, stop, pid, port: ctx.port, prefix: ctx.prefix },
      };
    }
    if (status !== null) {
      await stop();
      return {
        error: `${ctx.name} answered HTTP ${status} for ${url}${await logTail(ctx.errorLog)}`,
      };
    }
    await sleep(READY_POLL_MS);
  }
  const why = ctx.signal?.aborted
    ? 'cancelled while starting'
    : exited
      ? `it exited (code ${child.exitCode ?? 'none'}): ${output.trim()}`
      : `it did not answer within ${START_TIMEOUT_MS} ms`;
  await stop();
  if (ctx.signal?.aborted) throw new AppFailure('CANCELLED', `${ctx.name} start was cancelled`);
  return { error: `${why}${await logTail(ctx.errorLog)}` };
}

/** The end of the service's error log, for error messages. */
async function logTail(path: string | null): Promise<string> {
  if (path === null) return '';
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text ? ` (error.log: ${text.split('\n').slice(-3).join(' | ')})` : '';
  } catch {
    return '';
  }
}
