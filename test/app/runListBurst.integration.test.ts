/**
 * Issue #23 item 7: a burst of 2,000 runs:list calls on one socket (80 runs on disk) no longer
 * freezes the server. The listing is cached (RunListCache: invalidated on add, import and
 * delete, i.e. when the runs folder changes, and on this process's run events), calls beyond
 * MAX_CALLS_IN_FLIGHT on one socket are answered BUSY at once, and a page load on another
 * connection is answered within 2 s during the burst. Loopback only, bounded in count; in the
 * integration project because it times a request (the unit project runs two busy workers).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunListCache } from '../../src/main/api/runListCache';
import { RunStore } from '../../src/main/store/runStore';
import type { WebServer } from '../../src/main/web/server';
import { apiSocket, startRunsServer, type WireResult } from '../support/webRunsServer';
import { cellSamples, writeRunFolder } from '../results/fixtures';

const TOKEN = 'd'.repeat(64);
const RUNS = 80;
const BURST = 2000;
const PAGE_DEADLINE_MS = 2000;

let root: string;
let runsDir: string;
let server: WebServer;
let listings = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bv-list-burst-'));
  runsDir = join(root, 'runs');
  for (let i = 0; i < RUNS; i++) {
    const runId = `run-${String(i).padStart(3, '0')}`;
    writeRunFolder(runsDir, runId, cellSamples('native', 'syscall', 100 + i, { runId }));
  }
  const store = new RunStore({ runsDir });
  const folders = {
    list: () => {
      listings++;
      return store.list();
    },
    get: (id: string) => store.get(id),
    remove: (id: string) => store.remove(id),
  };
  server = await startRunsServer({ root, runsDir, token: TOKEN, folders });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function timedPage(): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/',
        agent: false,
        headers: {
          Host: `127.0.0.1:${server.port}`,
          Cookie: `benchvisor_token_${server.port}=${TOKEN}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('runs:list burst (issue #23 item 7)', () => {
  it(`${BURST} runs:list calls in one burst: every call answered (listing or BUSY), the listing computed once, a page loads within ${PAGE_DEADLINE_MS} ms`, async () => {
    const replies = new Map<number, WireResult>();
    const ws = await apiSocket(server, TOKEN, (id, r) => replies.set(id, r));
    for (let id = 1; id <= BURST; id++)
      ws.send(JSON.stringify({ id, channel: 'runs:list', request: {} }));
    const page = await timedPage();
    expect(page.status).toBe(200);
    expect(page.ms).toBeLessThan(PAGE_DEADLINE_MS);
    for (let i = 0; i < 400 && replies.size < BURST; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(replies.size).toBe(BURST);
    const ok = [...replies.values()].filter((r) => r.ok);
    const busy = [...replies.values()].filter((r) => !r.ok);
    expect(busy.every((r) => r.error?.code === 'BUSY')).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((r) => (r.value as unknown[]).length === RUNS)).toBe(true);
    expect(listings).toBe(1);
    ws.terminate();
  });
});

describe('RunListCache', () => {
  it('reuses a listing until the runs folder changes, the age runs out, or it is invalidated', () => {
    const dir = join(root, 'cache-runs');
    mkdirSync(dir);
    let t = 0;
    let n = 0;
    const cache = new RunListCache(
      dir,
      () => [{ n: ++n }] as never,
      () => t,
      1000,
    );
    expect(cache.get()).toEqual([{ n: 1 }]);
    expect(cache.get()).toEqual([{ n: 1 }]);
    // The folder's mtime is set explicitly after each change: the file system's clock is coarse.
    mkdirSync(join(dir, 'new-run')); // a run added (or imported: renamed in)
    utimesSync(dir, 1000, 1000);
    expect(cache.get()).toEqual([{ n: 2 }]);
    rmSync(join(dir, 'new-run'), { recursive: true }); // a run deleted
    utimesSync(dir, 2000, 2000);
    expect(cache.get()).toEqual([{ n: 3 }]);
    t = 999;
    expect(cache.get()).toEqual([{ n: 3 }]);
    t = 1000;
    expect(cache.get()).toEqual([{ n: 4 }]);
    cache.invalidate();
    expect(cache.get()).toEqual([{ n: 5 }]);
  });
});
