/**
 * nginx inside the guest: the benchmark's own config (renderNginxConfig) with
 * a prefix in the guest's RAM filesystem, started and stopped through the
 * agent, reached from the host through QEMU's hostfwd on 127.0.0.1.
 */
import { request } from 'node:http';
import {
  CONFIG_FILE_NAME,
  PID_FILE_NAME,
  SERVED_FILE_NAME,
  TEMP_DIR,
  TEMP_PATH_DIRECTIVES,
  WEB_ROOT_DIR,
  renderNginxConfig,
} from '../../benchmarks/nginx/nginxConfig';
import { quoteArg } from '../../guest/agentClient';

/** Port nginx listens on inside the guest (forwarded from a free host port). */
export const GUEST_NGINX_PORT = 8080;
/** nginx's prefix folder inside the guest (the initramfs root lives in RAM). */
export const GUEST_NGINX_PREFIX = '/run/nginx';
export const GUEST_NGINX_BINARY = '/usr/sbin/nginx';
/** Poll interval while waiting for nginx to answer through hostfwd. */
const READY_POLL_MS = 100;

export function guestNginxConfig(): string {
  // Root inside the guest: there is no other user who could read the prefix anyway.
  return renderNginxConfig({
    prefix: GUEST_NGINX_PREFIX,
    listenAddress: '0.0.0.0',
    port: GUEST_NGINX_PORT,
    user: 'root',
    accessLog: false,
  });
}

const P = GUEST_NGINX_PREFIX;

/** Shell script (run by busybox sh in the guest) that prepares the prefix and starts nginx in the background. */
export function guestNginxStartScript(fileSize: number): string {
  if (!Number.isInteger(fileSize) || fileSize < 1)
    throw new Error(`nginx file size must be a positive integer, got ${fileSize}`);
  const tempDirs = TEMP_PATH_DIRECTIVES.map((d) =>
    quoteArg(`${P}/${TEMP_DIR}/${d.replace(/_temp_path$/, '')}`),
  ).join(' ');
  // One line: the agent protocol is line based (statements joined with "; ", the last one backgrounded).
  return [
    'set -e',
    `mkdir -p ${quoteArg(`${P}/${WEB_ROOT_DIR}`)} ${tempDirs}`,
    `head -c ${fileSize} /dev/zero > ${quoteArg(`${P}/${WEB_ROOT_DIR}/${SERVED_FILE_NAME}`)}`,
    `${GUEST_NGINX_BINARY} -p ${quoteArg(`${P}/`)} -c ${quoteArg(`${P}/${CONFIG_FILE_NAME}`)} -e stderr </dev/null >/dev/null &`,
  ].join('; ');
}

/** Stops nginx (fast shutdown) and waits until the master is gone, so the port is free again. */
export function guestNginxStopScript(): string {
  const pidFile = quoteArg(`${P}/${PID_FILE_NAME}`);
  return [
    `[ -f ${pidFile} ] || exit 0`,
    `pid=$(cat ${pidFile})`,
    'kill -TERM "$pid" 2>/dev/null || exit 0',
    'n=0',
    'while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 200 ]; do usleep 50000; n=$((n + 1)); done',
    `rm -f ${pidFile}`,
  ].join('; ');
}

export const GUEST_NGINX_CONFIG_PATH = `${P}/${CONFIG_FILE_NAME}`;

export function servedUrl(hostPort: number): string {
  return `http://127.0.0.1:${hostPort}/${SERVED_FILE_NAME}`;
}

/**
 * Waits until the URL answers 200 with the expected length. QEMU's user-mode
 * network accepts connections on the host port even when nothing listens in
 * the guest, so only a real HTTP answer counts.
 */
export async function waitForHttp(
  url: string,
  expectedBytes: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const r = await new Promise<{ status: number; length: number } | string>((done) => {
      const req = request(url, { method: 'HEAD', agent: false, timeout: 2_000 }, (res) => {
        res.resume();
        done({ status: res.statusCode ?? 0, length: Number(res.headers['content-length'] ?? -1) });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => done(e.message));
      req.end();
    });
    if (typeof r === 'object' && r.status === 200 && r.length === expectedBytes) return;
    last = typeof r === 'string' ? r : `HTTP ${r.status}, ${r.length} bytes`;
    await new Promise((res) => setTimeout(res, READY_POLL_MS));
  }
  throw new Error(
    `nginx in the guest did not answer at ${url} within ${Math.round(timeoutMs / 1000)} s (last: ${last})`,
  );
}
