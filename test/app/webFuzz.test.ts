/**
 * Fuzz test of web mode (issue #9 item 1): at least 10,000 malformed requests and WebSocket
 * upgrades from a seeded generator (fuzzCases.ts) against a real server on 127.0.0.1, over raw
 * sockets, a bounded number at a time. The server must answer each one with a 4xx or close it,
 * never 5xx, never throw, never leave a connection hanging; afterwards it still serves the page
 * and the API to a good client.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiService } from '../../src/main/api/service';
import { startWebServer } from '../../src/main/web/server';
import type { WebServer } from '../../src/main/web/server';
import { fakeDeps } from './fakeDeps';
import { makeCases } from './fuzzCases';
import { rawExchange, rawRequest } from './rawHttp';

/** Malformed requests and upgrades sent (the issue asks for at least 10,000). */
const FUZZ_CASES = 10_000;
/** Fixed seed: the same cases every run; change it to explore, note it to replay a failure. */
const FUZZ_SEED = 0x9b1e;
/** Connections open at once (bounded so the test does not starve a shared 2-core machine). */
const CONCURRENCY = 32;
/** The whole fuzz run must finish within this (it takes a few seconds). */
const FUZZ_BUDGET_MS = 60_000;

const TOKEN = 'f'.repeat(64);
let dir: string;
let server: WebServer;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown): void => void uncaught.push(e);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'benchvisor-web-fuzz-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
  mkdirSync(join(dir, 'exports'));
  writeFileSync(join(dir, 'exports', 'x.zip'), 'PK');
  process.on('uncaughtException', onUncaught);
  server = await startWebServer({
    service: new ApiService(fakeDeps()),
    staticDir: dir,
    port: 0,
    token: TOKEN,
    downloadsDir: join(dir, 'exports'),
  });
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 5000))]);
  rmSync(dir, { recursive: true, force: true });
});

it(
  `survives ${FUZZ_CASES} malformed requests and upgrades, then serves a good client`,
  async () => {
    const cases = makeCases(FUZZ_CASES, FUZZ_SEED, { port: server.port, token: TOKEN });
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        const answer = await rawExchange(server.port, c.bytes, c.options);
        const key = String(answer.status ?? 'closed');
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (answer.timedOut) failures.push(`case ${i} (${c.kind}): no answer and not closed`);
        if (answer.status !== null && answer.status >= 500)
          failures.push(`case ${i} (${c.kind}): ${answer.status}: ${c.bytes.toString('latin1')}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = Date.now() - started;
    console.log(
      `web fuzz: ${cases.length} cases in ${elapsed} ms; answers: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );

    expect(failures.slice(0, 10)).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(elapsed).toBeLessThan(FUZZ_BUDGET_MS);
    // The cases reached every check: bad request, no token, wrong Host/Origin, unknown path.
    for (const s of ['400', '401', '403', '404', '101'])
      expect(statuses.get(s) ?? 0).toBeGreaterThan(0);

    // Still serving: the page over HTTP and an API call over a fresh WebSocket.
    const page = await rawExchange(
      server.port,
      rawRequest('GET', '/', [
        `Host: 127.0.0.1:${server.port}`,
        `Cookie: benchvisor_token_${server.port}=${TOKEN}`,
      ]),
    );
    expect(page.status).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
      headers: {
        Origin: `http://127.0.0.1:${server.port}`,
        Cookie: `benchvisor_token_${server.port}=${TOKEN}`,
      },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app:info', request: {} })));
      ws.on('message', (d: WebSocket.RawData) => resolve(d.toString()));
      ws.on('error', reject);
    });
    ws.close();
    expect(JSON.parse(reply)).toMatchObject({ type: 'reply', id: 1, result: { ok: true } });
  },
  FUZZ_BUDGET_MS + 30_000,
);
