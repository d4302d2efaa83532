/**
 * A service inside the guest: its files in a prefix in the guest's RAM
 * filesystem (written through the agent), started and stopped through the
 * agent, reached from the host through QEMU's hostfwd on 127.0.0.1. Works for
 * any ServiceSpec; nothing here knows which benchmark asked.
 */
import { request } from 'node:http';
import type { ServiceLayout, ServicePlace } from '../../session/service';
import { quoteArg } from '../../qemu/agentClient';

/** Port a service listens on inside the guest (forwarded from a free host port). */
export const GUEST_SERVICE_PORT = 8080;
/** Parent of the services' prefix folders inside the guest (the initramfs root lives in RAM). */
const GUEST_SERVICE_ROOT = '/run';
/** Poll interval while waiting for the service to answer through hostfwd. */
const READY_POLL_MS = 100;
/** How long a stop may take (polls of 50 ms) before the pid is given up on. */
const STOP_POLLS = 200;

/** Where a service lives in the guest: root (no other user), no request log (RAM). */
export function guestPlace(name: string): ServicePlace {
  return {
    prefix: `${GUEST_SERVICE_ROOT}/${name}`,
    listenAddress: '0.0.0.0',
    port: GUEST_SERVICE_PORT,
    asRoot: true,
    logRequests: false,
  };
}

/**
 * Shell script (run by busybox sh in the guest) that prepares the prefix's
 * folders and generated file and starts the program in the background. The
 * text files are written beforehand with the agent's PUT.
 */
export function guestStartScript(
  program: string,
  place: ServicePlace,
  layout: ServiceLayout,
): string {
  const P = place.prefix;
  const dirs = [P, ...layout.dirs.map((d) => `${P}/${d}`)].map(quoteArg).join(' ');
  const gen = layout.generated;
  if (gen && (!Number.isInteger(gen.bytes) || gen.bytes < 1))
    throw new Error(`generated file size must be a positive integer, got ${gen.bytes}`);
  // One line: the agent protocol is line based (statements joined with "; ", the last one backgrounded).
  return [
    'set -e',
    `mkdir -p ${dirs}`,
    ...(gen ? [`head -c ${gen.bytes} /dev/zero > ${quoteArg(`${P}/${gen.path}`)}`] : []),
    `${[program, ...layout.startArgs].map(quoteArg).join(' ')} </dev/null >/dev/null &`,
  ].join('; ');
}

/** Stops the service (SIGTERM to its pid file) and waits until it is gone, so the port is free again. */
export function guestStopScript(place: ServicePlace, layout: ServiceLayout): string {
  if (!layout.pidFile) return 'true';
  const pidFile = quoteArg(`${place.prefix}/${layout.pidFile}`);
  return [
    `[ -f ${pidFile} ] || exit 0`,
    `pid=$(cat ${pidFile})`,
    'kill -TERM "$pid" 2>/dev/null || exit 0',
    'n=0',
    `while kill -0 "$pid" 2>/dev/null && [ "$n" -lt ${STOP_POLLS} ]; do usleep 50000; n=$((n + 1)); done`,
    `rm -f ${pidFile}`,
  ].join('; ');
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
  name = 'the service',
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
    `${name} in the guest did not answer at ${url} within ${Math.round(timeoutMs / 1000)} s (last: ${last})`,
  );
}
