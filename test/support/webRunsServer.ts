/**
 * A web-mode server over a runs folder for tests that only read runs (no engine, no
 * platforms: starting a run throws), and a WebSocket client that calls the API on it.
 * The runListBurst and importFuzz tests share it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { cachedRunLibrary } from '../../src/main/api/appService';
import type { ServiceDeps } from '../../src/main/api/serviceDeps';
import { ApiService } from '../../src/main/api/service';
import { localEngine } from '../../src/main/engine/localEngine';
import { RunStore } from '../../src/main/store/runStore';
import { startWebServer, type WebServer } from '../../src/main/web/server';

/** The run folders the service lists (a RunStore, or a wrapper that counts its listings). */
type RunFolders = Parameters<typeof cachedRunLibrary>[0];

/** A runner that is never asked to run here. */
const NO_RUNNER = {
  start: async () => {
    throw new Error('not in this test');
  },
  extend: async () => {
    throw new Error('not in this test');
  },
  cancel: () => false,
  write: () => false,
  on: () => () => {},
};

/** Starts web mode over `runsDir` (its UI a one-line page under `root/ui`) on a free port. */
export async function startRunsServer(opts: {
  root: string;
  runsDir: string;
  token: string;
  folders?: RunFolders;
}): Promise<WebServer> {
  const ui = join(opts.root, 'ui');
  mkdirSync(ui, { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  const folders = opts.folders ?? new RunStore({ runsDir: opts.runsDir });
  const deps: ServiceDeps = {
    ...cachedRunLibrary(folders, opts.runsDir, NO_RUNNER),
    engine: localEngine({
      runner: NO_RUNNER,
      platforms: [],
      doctor: async () => ({ checkedAt: '', platforms: [] }),
    }),
    version: '0',
    runsDir: opts.runsDir,
    exportsDir: join(opts.root, 'exports'),
    uploadsDir: join(opts.root, 'uploads'),
    host: { cpuModel: 'x', cores: 2, memoryMiB: 1024 },
  };
  return startWebServer({
    service: new ApiService(deps),
    staticDir: ui,
    port: 0,
    token: opts.token,
  });
}

/** An API result as it comes over the socket. */
export interface WireResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message?: string };
}

/** A WebSocket on the server's API, signed in with the token; `onReply` sees every reply. */
export async function apiSocket(
  server: WebServer,
  token: string,
  onReply: (id: number, result: WireResult) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
    headers: {
      Origin: `http://127.0.0.1:${server.port}`,
      Cookie: `benchvisor_token_${server.port}=${token}`,
    },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('message', (d: WebSocket.RawData) => {
    const m = JSON.parse(d.toString()) as { type: string; id: number; result: WireResult };
    if (m.type === 'reply') onReply(m.id, m.result);
  });
  return ws;
}

/** One call at a time over an API socket: `call(channel, request)` resolves with its result. */
export async function apiClient(
  server: WebServer,
  token: string,
): Promise<{ call(channel: string, request: unknown): Promise<WireResult>; close(): void }> {
  const pending = new Map<number, (r: WireResult) => void>();
  const ws = await apiSocket(server, token, (id, r) => pending.get(id)?.(r));
  let id = 0;
  return {
    call: (channel, request) =>
      new Promise((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, channel, request }));
      }),
    close: () => ws.terminate(),
  };
}
