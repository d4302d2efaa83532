/**
 * nginx on this host for the nginx benchmark: find the binary, start it on a
 * free loopback port with a generated config in a scratch folder (no root, no
 * system config or path touched), wait until it answers, and stop it again.
 * The process is tracked in the ProcessTracker from start to stop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { Availability } from '../../../shared/platforms';
import { AppFailure } from '../../../shared/result';
import type { NginxHandle } from '../../platforms/platform';
import type { ProcessTracker } from '../../process/tracker';
import {
  CONFIG_FILE_NAME,
  ERROR_LOG_NAME,
  SERVED_FILE_NAME,
  TEMP_DIR,
  TEMP_PATH_DIRECTIVES,
  WEB_ROOT_DIR,
  renderNginxConfig,
} from './nginxConfig';

export const NGINX_FIX = 'apt-get install nginx-light';
/** Where distributions put nginx when it is not on a non-root PATH. */
const EXTRA_NGINX_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/nginx/sbin'];
const LOOPBACK = '127.0.0.1';
/** How long nginx may take to answer its first request. */
const START_TIMEOUT_MS = 10_000;
/** Pause between readiness probes. */
const READY_POLL_MS = 50;
/** How long a graceful stop (SIGTERM, fast shutdown) may take before SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** Attempts with a fresh port when another program grabbed the one we picked. */
const PORT_ATTEMPTS = 3;
/** Chunk used to write the served file (any size up to the catalogue's 1 GiB). */
const WRITE_CHUNK = 1024 * 1024;
const VERSION_TIMEOUT_MS = 5_000;

/**
 * Path of the nginx binary, or null. Looks on PATH and in the usual sbin folders (`sbinDirs`,
 * a parameter so that a test can make "not installed" happen on a host that has nginx).
 */
export function locateNginx(
  env: NodeJS.ProcessEnv = process.env,
  sbinDirs: readonly string[] = EXTRA_NGINX_DIRS,
): string | null {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...sbinDirs];
  for (const dir of dirs) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return resolve(candidate);
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Is nginx usable here? Never throws: problems come back as reason + fix. */
export function findNginx(
  env: NodeJS.ProcessEnv = process.env,
  sbinDirs: readonly string[] = EXTRA_NGINX_DIRS,
): Promise<Availability> {
  const path = locateNginx(env, sbinDirs);
  if (path === null) {
    return Promise.resolve({
      available: false,
      reason: 'nginx is not installed (not on PATH or in /usr/sbin)',
      fix: NGINX_FIX,
    });
  }
  return new Promise((done) => {
    execFile(path, ['-v'], { timeout: VERSION_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) {
        done({
          available: false,
          reason: `${path} -v failed: ${error.message}`,
          fix: NGINX_FIX,
          details: { path },
        });
        return;
      }
      const version = /nginx\/(\S+)/.exec(`${stderr}${stdout}`)?.[1] ?? 'unknown';
      done({ available: true, details: { path, version } });
    });
  });
}

/** Writes `size` bytes of a repeating non-zero pattern (not compressible to nothing by accident). */
export async function writeServedFile(path: string, size: number): Promise<void> {
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

/** A TCP port that was free on the address a moment ago. */
export function freePort(address: string = LOOPBACK): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, address, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? done(port) : fail(new Error('could not find a free port'))));
    });
  });
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

/** Pids of the direct children of `pid` (nginx's workers), read from /proc. */
function childPids(pid: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the field after "(comm)" is the state, then the parent pid
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export interface StartNativeNginxOptions {
  tracker: ProcessTracker;
  /** Scratch folder that becomes nginx's prefix (created if missing). */
  workDir: string;
  /** Bytes of the generated file served at /bench.bin. */
  fileSize: number;
  signal?: AbortSignal;
  /** nginx binary (default: located on PATH / sbin). */
  nginxPath?: string;
  /** Loopback address to listen on (default 127.0.0.1). */
  listenAddress?: string;
}

/** A running native nginx (NginxHandle plus facts for tests and logs). */
export interface NativeNginxHandle extends NginxHandle {
  pid: number;
  port: number;
  prefix: string;
  servedFile: string;
}

/** Starts nginx, waits until it serves the file, and tracks it until stop(). */
export async function startNativeNginx(opts: StartNativeNginxOptions): Promise<NativeNginxHandle> {
  const nginx = opts.nginxPath ?? locateNginx();
  if (nginx === null)
    throw new AppFailure('TOOL_MISSING', `nginx is not installed; fix: ${NGINX_FIX}`);
  const prefix = resolve(opts.workDir);
  await mkdir(join(prefix, WEB_ROOT_DIR), { recursive: true });
  for (const d of TEMP_PATH_DIRECTIVES) {
    await mkdir(join(prefix, TEMP_DIR, d.replace(/_temp_path$/, '')), { recursive: true });
  }
  const servedFile = join(prefix, WEB_ROOT_DIR, SERVED_FILE_NAME);
  await writeServedFile(servedFile, opts.fileSize);

  let lastError = '';
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    opts.signal?.throwIfAborted();
    const address = opts.listenAddress ?? LOOPBACK;
    const port = await freePort(address);
    // As root, workers would switch to "nobody", who may not read a private scratch folder.
    const user = process.getuid?.() === 0 ? 'root' : undefined;
    const conf = join(prefix, CONFIG_FILE_NAME);
    await writeFile(conf, renderNginxConfig({ prefix, listenAddress: address, port, user }));
    const errorLog = join(prefix, ERROR_LOG_NAME);
    const child = spawn(nginx, ['-p', `${prefix}/`, '-c', conf, '-e', errorLog], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = await waitForNginx(child, {
      nginx,
      address,
      port,
      prefix,
      servedFile,
      errorLog,
      ...opts,
    });
    if ('handle' in started) return started.handle;
    lastError = started.error;
    if (!/address already in use/i.test(lastError)) break;
  }
  throw new AppFailure('UNAVAILABLE', `nginx did not start: ${lastError}`);
}

interface WaitContext extends StartNativeNginxOptions {
  nginx: string;
  address: string;
  port: number;
  prefix: string;
  servedFile: string;
  errorLog: string;
}

/** Tracks the child, waits for it to answer; returns the handle, or why it failed (after cleaning up). */
async function waitForNginx(
  child: ChildProcess,
  ctx: WaitContext,
): Promise<{ handle: NativeNginxHandle } | { error: string }> {
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
        const workers = childPids(pid);
        signal(pid, 'SIGTERM'); // nginx: fast shutdown, workers included
        let timer: NodeJS.Timeout | undefined;
        const graceful = await Promise.race([
          exitPromise.then(() => true),
          new Promise<boolean>((done) => (timer = setTimeout(() => done(false), STOP_GRACE_MS))),
        ]);
        clearTimeout(timer);
        if (!graceful) {
          for (const w of [pid, ...workers, ...childPids(pid)]) signal(w, 'SIGKILL');
          await exitPromise;
        }
        // A worker must never outlive its master (it would hold the port).
        for (const w of workers) signal(w, 'SIGKILL');
      }
      untrack();
    })();
    return stopping;
  };
  const untrack = ctx.tracker.track({ label: `nginx native (pid ${pid})`, kill: stop });

  const url = `http://${ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address}:${ctx.port}/${SERVED_FILE_NAME}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!exited && Date.now() < deadline && !ctx.signal?.aborted) {
    const status = await probe(url);
    if (status === 200) {
      return {
        handle: { url, stop, pid, port: ctx.port, prefix: ctx.prefix, servedFile: ctx.servedFile },
      };
    }
    if (status !== null) {
      await stop();
      return {
        error: `nginx answered HTTP ${status} for /${SERVED_FILE_NAME}${await logTail(ctx.errorLog)}`,
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
  if (ctx.signal?.aborted) throw new AppFailure('CANCELLED', 'nginx start was cancelled');
  return { error: `${why}${await logTail(ctx.errorLog)}` };
}

/** The end of nginx's error log, for error messages. */
async function logTail(path: string): Promise<string> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text ? ` (error.log: ${text.split('\n').slice(-3).join(' | ')})` : '';
  } catch {
    return '';
  }
}
