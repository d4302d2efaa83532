/**
 * Chunked bundle upload over the real web server: the renderer's uploader sends a
 * multi-chunk bundle through a real WebSocket, the server imports it; uploads belong to
 * their connection, arrive in order, and leave nothing behind when abandoned.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiService } from '../../src/main/api/service';
import { exportBundle } from '../../src/main/export';
import { RunStore } from '../../src/main/store/runStore';
import { MAX_WS_MESSAGE_BYTES, startWebServer, type WebServer } from '../../src/main/web/server';
import { uploadBundle } from '../../src/shared/bundleUpload';
import { UPLOAD_CHUNK_BYTES, type BenchvisorApi } from '../../src/shared/api';
import type { Result } from '../../src/shared/result';
import { cellSamples, writeRunFolder } from '../results/fixtures';
import { fakeDeps } from './fakeDeps';

const RUN_ID = 'upload-run';
const TOKEN = 'b'.repeat(64);

/** A minimal client of the wire protocol: call() as the renderer's transport offers it. */
function wsApi(ws: WebSocket): Pick<BenchvisorApi, 'call'> {
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d: WebSocket.RawData) => {
    const m = JSON.parse(d.toString()) as { type: string; id: number; result: Result<unknown> };
    if (m.type === 'reply') pending.get(m.id)?.(m.result);
  });
  return {
    call: ((channel: string, request: unknown) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, channel, request }));
      })) as BenchvisorApi['call'],
  };
}

describe('chunked bundle upload (web mode)', () => {
  let root: string;
  let runsB: string;
  let uploadsDir: string;
  let zipBytes: Buffer;
  let service: ApiService;
  let server: WebServer;
  const sockets: WebSocket[] = [];

  async function connect(): Promise<WebSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
      headers: {
        Origin: `http://127.0.0.1:${server.port}`,
        Cookie: `benchvisor_token_${server.port}=${TOKEN}`,
      },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    sockets.push(ws);
    return ws;
  }

  const partFiles = (): string[] =>
    existsSync(uploadsDir)
      ? readdirSync(uploadsDir, { recursive: true, encoding: 'utf8' }).filter((n) =>
          n.endsWith('.part'),
        )
      : [];

  async function until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(cond()).toBe(true);
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'benchvisor-upload-'));
    const runsA = join(root, 'runs-a');
    runsB = join(root, 'runs-b');
    uploadsDir = join(root, 'uploads');
    const dir = writeRunFolder(
      runsA,
      RUN_ID,
      cellSamples('native', 'linpack', 1e6, { runId: RUN_ID }),
    );
    // Incompressible console text, so the zip spans more than one upload chunk.
    writeFileSync(
      join(dir, 'consoles', 'native.log'),
      randomBytes(6 * 1024 * 1024).toString('base64'),
    );
    const zipFile = join(root, 'bundle.zip');
    await exportBundle(new RunStore({ runsDir: runsA }), RUN_ID, zipFile);
    zipBytes = readFileSync(zipFile);
    const staticDir = join(root, 'ui');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ui</title>');
    service = new ApiService({ ...fakeDeps(), runsDir: runsB, uploadsDir });
    server = await startWebServer({ service, staticDir, port: 0, token: TOKEN });
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await server.close();
    service.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports a multi-chunk bundle through the renderer uploader, with progress, leaving no upload file', async () => {
    expect(zipBytes.length).toBeGreaterThan(UPLOAD_CHUNK_BYTES);
    const api = wsApi(await connect());
    const progress: number[] = [];
    const file = Object.assign(new Blob([new Uint8Array(zipBytes)]), { name: 'bundle.zip' });
    const res = await uploadBundle(api, file, (sent) => progress.push(sent));
    expect(res).toMatchObject({ ok: true, value: { originalRunId: RUN_ID, samples: 5 } });
    if (!res.ok) return;
    expect(progress[0]).toBe(0);
    expect(progress.length).toBe(1 + Math.ceil(zipBytes.length / UPLOAD_CHUNK_BYTES));
    expect(progress.at(-1)).toBe(zipBytes.length);
    // The console log arrived whole, every byte.
    const original = readFileSync(join(root, 'runs-a', RUN_ID, 'consoles', 'native.log'));
    expect(readFileSync(join(res.value.dir, 'consoles', 'native.log')).equals(original)).toBe(true);
    expect(service.openUploads).toBe(0);
    expect(partFiles()).toEqual([]);
  });

  it('keeps uploads to their connection, in order, and discards them when the connection closes', async () => {
    const ownerWs = await connect();
    const owner = wsApi(ownerWs);
    const other = wsApi(await connect());
    const begun = await owner.call('runs:uploadBegin', { name: 'b.zip', bytes: 10 });
    if (!begun.ok) throw new Error(begun.error.message);
    const { uploadId } = begun.value;
    const chunk = (offset: number, text: string) => ({
      uploadId,
      offset,
      dataBase64: Buffer.from(text).toString('base64'),
    });

    expect(await other.call('runs:uploadChunk', chunk(0, 'abc'))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await other.call('runs:import', { uploadId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await owner.call('runs:uploadChunk', chunk(0, 'abcd'))).toEqual({
      ok: true,
      value: { received: 4 },
    });
    const gap = await owner.call('runs:uploadChunk', chunk(6, 'ef'));
    expect(gap).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!gap.ok)
      expect(gap.error.message).toMatch(/byte 6 arrived, but 4 bytes have been received/);
    const early = await owner.call('runs:import', { uploadId });
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!early.ok) expect(early.error.message).toMatch(/incomplete: 4 of 10 bytes/);
    expect(
      await owner.call('runs:uploadChunk', { ...chunk(4, 'x'), dataBase64: '!!!!' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    expect(partFiles()).toHaveLength(1);
    ownerWs.close();
    await until(() => service.openUploads === 0 && partFiles().length === 0);
  });

  it('discards an upload that sends more than it declared, and rejects a non-bundle with a reason', async () => {
    const api = wsApi(await connect());
    const begun = await api.call('runs:uploadBegin', { name: 'big.zip', bytes: 3 });
    if (!begun.ok) throw new Error(begun.error.message);
    const over = await api.call('runs:uploadChunk', {
      uploadId: begun.value.uploadId,
      offset: 0,
      dataBase64: Buffer.from('abcdef').toString('base64'),
    });
    expect(over).toMatchObject({ ok: false, error: { code: 'BUNDLE_INVALID' } });
    expect(service.openUploads).toBe(0);

    const junk = Object.assign(new Blob([new Uint8Array(randomBytes(5000))]), { name: 'junk.zip' });
    const res = await uploadBundle(api, junk);
    expect(res).toMatchObject({ ok: false, error: { code: 'BUNDLE_INVALID' } });
    expect(partFiles()).toEqual([]);
  });

  it('cancelling mid-upload discards what arrived and says so', async () => {
    const api = wsApi(await connect());
    const abort = new AbortController();
    const file = Object.assign(new Blob([new Uint8Array(zipBytes)]), { name: 'bundle.zip' });
    const res = await uploadBundle(
      api,
      file,
      (sent) => {
        if (sent > 0) abort.abort(); // after the first chunk arrived
      },
      abort.signal,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(service.openUploads).toBe(0);
    expect(partFiles()).toEqual([]);
  });

  it('refuses a WebSocket message larger than one chunk allows', async () => {
    const ws = await connect();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_WS_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009); // "message too big"
  });
});
