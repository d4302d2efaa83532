/**
 * Console flow control end to end: the real web server, the real WebSocket, the real watermarks
 * (512 KiB pause, 128 KiB resume) and a client that acknowledges late; and a client that stops
 * reading altogether is dropped once its backlog passes MAX_CLIENT_BACKLOG_BYTES instead of
 * growing the server's memory without end.
 *
 * Ordering makes it deterministic: console output is pushed in whole batches (each is sent at
 * once), and the reply to a call travels on the same socket after everything sent before it, so
 * "what arrived before the reply" is exactly "what the server had sent".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  BATCH_MAX_BYTES,
  HIGH_WATERMARK_BYTES,
  LOW_WATERMARK_BYTES,
} from '../../src/main/api/consoleFlow';
import { ApiService } from '../../src/main/api/service';
import { MAX_CLIENT_BACKLOG_BYTES, startWebServer } from '../../src/main/web/server';
import type { WebServer } from '../../src/main/web/server';
import { NATIVE_CONFIG, fakeDeps } from './fakeDeps';

const KiB = 1024;

/** A WebSocket client of the API that records console data and log events. */
class Client {
  readonly ws: WebSocket;
  console = '';
  lastOffset = 0;
  logs = 0;
  closed = false;
  private nextId = 1;
  private waiters: { id: number; done: (v: unknown) => void }[] = [];

  constructor(server: WebServer) {
    this.ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
      headers: {
        Origin: `http://127.0.0.1:${server.port}`,
        Cookie: `benchvisor_token_${server.port}=${server.token}`,
      },
    });
    this.ws.on('close', () => (this.closed = true));
    this.ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as {
        type: string;
        id?: number;
        event?: string;
        result?: unknown;
        payload?: { data?: string; offset?: number };
      };
      if (m.type === 'reply') {
        const i = this.waiters.findIndex((w) => w.id === m.id);
        if (i >= 0) this.waiters.splice(i, 1)[0]!.done(m.result);
      } else if (m.event === 'console:data') {
        this.console += m.payload!.data!;
        this.lastOffset = m.payload!.offset!;
      } else if (m.event === 'run:log') this.logs++;
    });
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  /** A call; its reply arrives after every message the server sent before it. */
  call(channel: string, request: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiters.push({ id, done });
      this.ws.send(JSON.stringify({ id, channel, request }));
    });
  }
}

describe('console flow control through a real WebSocket (512 / 128 KiB)', () => {
  let dir: string;
  let server: WebServer;
  let deps: ReturnType<typeof fakeDeps>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'benchvisor-flow-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    deps = fakeDeps();
    // Default flow options: the real watermarks and batch size.
    server = await startWebServer({ service: new ApiService(deps), staticDir: dir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pauses at the high watermark, stays paused above the low one, resumes at it, drops nothing', async () => {
    expect(HIGH_WATERMARK_BYTES).toBe(512 * KiB);
    expect(LOW_WATERMARK_BYTES).toBe(128 * KiB);
    const client = new Client(server);
    await client.open();
    const started = (await client.call('run:start', { config: NATIVE_CONFIG })) as {
      ok: boolean;
      value: { runId: string };
    };
    expect(started.ok).toBe(true);
    const runId = started.value.runId;
    const run = deps.runs.at(-1)!;

    // 2 MiB of output in whole batches, distinct per batch so reordering or loss would show.
    const batches = (2048 * KiB) / BATCH_MAX_BYTES;
    let pushed = '';
    for (let i = 0; i < batches; i++) {
      const chunk = String.fromCharCode(65 + (i % 26)).repeat(BATCH_MAX_BYTES);
      pushed += chunk;
      run.observer.console('native', chunk);
    }
    const ack = (offset: number) =>
      client.call('console:ack', { runId, platform: 'native', offset });

    // No ack yet: exactly the high watermark arrived (8 batches of 64 KiB), then nothing.
    await client.call('app:info', {});
    expect(client.lastOffset).toBe(HIGH_WATERMARK_BYTES);
    expect(client.console.length).toBe(HIGH_WATERMARK_BYTES);

    // A late ack that leaves more than the low watermark unacknowledged: still paused.
    await ack(HIGH_WATERMARK_BYTES - LOW_WATERMARK_BYTES - 1);
    expect(client.lastOffset).toBe(HIGH_WATERMARK_BYTES);

    // Down to exactly the low watermark: forwarding resumes until the high one is reached again
    // (128 KiB unacknowledged + 6 batches of 64 KiB = 512 KiB).
    await ack(HIGH_WATERMARK_BYTES - LOW_WATERMARK_BYTES);
    expect(client.lastOffset).toBe(HIGH_WATERMARK_BYTES + 6 * BATCH_MAX_BYTES);

    // Acking everything as it arrives delivers the rest, in order, byte for byte.
    for (let guard = 0; guard < 100 && client.lastOffset < pushed.length; guard++)
      await ack(client.lastOffset);
    expect(client.lastOffset).toBe(pushed.length);
    expect(client.console === pushed).toBe(true);
    client.ws.close();
  });

  it('drops a client that stopped reading once its backlog passes the limit; a reading client gets everything', async () => {
    const reader = new Client(server);
    const stuck = new Client(server);
    await Promise.all([reader.open(), stuck.open()]);
    const run = deps.runs.at(-1)!;
    stuck.ws.pause(); // stops reading its socket: a frozen tab

    // Run events are not flow-controlled: 256 KiB log lines, 2 × the backlog limit in all.
    const line = 'x'.repeat(256 * KiB);
    const count = (2 * MAX_CLIENT_BACKLOG_BYTES) / line.length;
    for (let i = 0; i < count; i++) {
      run.observer.log({ runId: run.runId, level: 'info', message: line, at: 'now' });
      // The reader keeps up (its backlog stays near zero).
      await reader.call('app:info', {});
      expect(reader.logs).toBe(i + 1);
    }
    expect(reader.closed).toBe(false);

    // Reading again: it either finds its connection dropped or (without the limit) gets it all.
    stuck.ws.resume();
    const end = Date.now() + 30_000;
    while (!stuck.closed && stuck.logs < count && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(stuck.closed).toBe(true);
    // It got what was already in flight, never the whole stream.
    expect(stuck.logs).toBeLessThan(count);
    reader.ws.close();
  });
});
