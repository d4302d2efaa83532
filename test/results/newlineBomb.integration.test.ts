/**
 * Issue #9 item 2: a 500 KB bundle whose samples.ndjson is 140 M newlines. The
 * importer read it whole and split it (V8 died); a run folder holding it then
 * took every listing down. Now NDJSON is read in chunks under a line-count and a
 * line-length cap: the import is refused with the line and the cap, in bounded
 * memory, and a damaged run folder is listed as damaged and can be deleted.
 */
import { execFile } from 'node:child_process';
import {
  appendFileSync,
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
import { createEngine } from '../../src/main/composition';
import { serviceForEngine } from '../../src/main/api/appService';
import { dispatch } from '../../src/main/api/dispatch';
import { NDJSON_LIMITS } from '../../src/main/util/ndjson';
import { cellSamples, writeRunFolder } from './fixtures';
import { BOMB_NEWLINES, newlineBombZip } from './newlineBomb';
import { builtCli } from '../support/builtApp';

const CLI = builtCli();
const MAX_RSS_PRELOAD = join(import.meta.dirname, 'maxRss.mjs');
const MiB = 1024 * 1024;
/** Extra memory the import of the bomb may take over a `benchvisor list` of an empty folder. */
const IMPORT_EXTRA_MEMORY_MIB = 64;

let root: string;
let runs: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child, MiB. */
  maxRssMiB: number;
}

function cli(args: string[]): Promise<CliResult> {
  const rssFile = join(root, `rss-${Math.random().toString(16).slice(2)}`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', MAX_RSS_PRELOAD, CLI, ...args],
      {
        env: {
          ...process.env,
          BENCHVISOR_RUNS: runs,
          BENCHVISOR_CACHE: join(root, 'cache'),
          BV_MAXRSS_FILE: rssFile,
        },
        timeout: 120_000,
        maxBuffer: 16 * MiB,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? -1) : 0;
        const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
        resolve({ code, stdout, stderr, maxRssMiB: kib / 1024 });
      },
    );
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bv-bomb-'));
  runs = join(root, 'runs');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the 140 M-newline bundle', () => {
  it('is refused by `benchvisor import` with the line and the cap, in bounded memory; nothing is left', async () => {
    const zip = join(root, 'bomb.zip');
    writeFileSync(zip, newlineBombZip('bomb-run'));
    const bytes = readFileSync(zip).length;
    expect(bytes).toBeLessThan(600 * 1024); // ≈ 500 KB, as in the issue
    expect(BOMB_NEWLINES / bytes).toBeLessThan(1000); // under the zip-bomb ratio limit

    const baseline = await cli(['list']);
    expect(baseline.code, baseline.stderr).toBe(0);
    const r = await cli(['import', zip]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `samples.ndjson line ${NDJSON_LIMITS.maxLines + 1}: more than the 1,000,000 lines a file may have`,
    );
    const extra = r.maxRssMiB - baseline.maxRssMiB;
    console.log(
      `newline bomb: import peak RSS ${r.maxRssMiB.toFixed(1)} MiB, list ${baseline.maxRssMiB.toFixed(1)} MiB (+${extra.toFixed(1)} MiB)`,
    );
    expect(Number.isFinite(extra)).toBe(true);
    expect(extra).toBeLessThan(IMPORT_EXTRA_MEMORY_MIB);
    // No run, no staging folder left behind.
    expect(readdirSync(runs)).toEqual([]);
    const list = await cli(['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 180_000);

  it('a damaged run folder is listed as damaged with the reason (CLI and API), and deletes', async () => {
    writeRunFolder(runs, 'good-run', cellSamples('native', 'syscall', 100, { runId: 'good-run' }));
    // The original failure: the bomb's samples.ndjson in a run folder (written in 4 MiB pieces).
    const planted = writeRunFolder(runs, 'planted', []);
    const piece = Buffer.alloc(4 * MiB, 0x0a);
    writeFileSync(join(planted, 'samples.ndjson'), '');
    for (let n = 0; n < BOMB_NEWLINES; n += piece.length)
      appendFileSync(
        join(planted, 'samples.ndjson'),
        piece.subarray(0, Math.min(piece.length, BOMB_NEWLINES - n)),
      );
    // One line longer than the cap, and an experiment.json that is not JSON.
    const longLine = writeRunFolder(runs, 'long-line', []);
    writeFileSync(join(longLine, 'samples.ndjson'), 'x'.repeat(NDJSON_LIMITS.maxLineBytes + 1));
    mkdirSync(join(runs, 'garbled'));
    writeFileSync(join(runs, 'garbled', 'experiment.json'), '{ not json');

    const text = await cli(['list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^planted\s+damaged/m);
    expect(text.stdout).toMatch(
      /damaged planted: samples\.ndjson line 1000001: more than the 1,000,000 lines/,
    );
    expect(text.stdout).toMatch(
      /damaged long-line: samples\.ndjson line 1: longer than the 64 KiB line limit/,
    );
    expect(text.stdout).toMatch(/damaged garbled: experiment\.json is not valid JSON/);
    expect(text.stdout).toMatch(/^good-run\s+completed\s+5 samples/m);

    const show = await cli(['show', 'planted']);
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/run "planted" is damaged: samples\.ndjson line 1000001/);

    // The API (what the web server and the desktop app answer) lists and deletes the same way.
    const engine = createEngine({
      env: { ...process.env, BENCHVISOR_RUNS: runs, BENCHVISOR_CACHE: join(root, 'cache') },
    });
    const app = serviceForEngine(engine);
    const conn = app.service.connect({ send: () => undefined }, 'websocket');
    try {
      const listed = await conn.handlers['runs:list']({});
      if (!listed.ok) throw new Error(listed.error.message);
      const byId = new Map(listed.value.map((r) => [r.runId, r]));
      expect(byId.get('good-run')?.damaged).toBeUndefined();
      expect(byId.get('planted')?.damaged).toMatch(/line 1000001/);
      expect(byId.get('garbled')?.damaged).toMatch(/not valid JSON/);
      const got = await dispatch(conn.handlers, 'runs:get', { runId: 'planted' });
      expect(got.ok ? 'ok' : got.error.message).toMatch(/run "planted" is damaged: .*line 1000001/);
      const del = await conn.handlers['runs:delete']({ runId: 'planted' });
      expect(del.ok).toBe(true);
      expect(existsSync(planted)).toBe(false);
    } finally {
      conn.close();
      await app.dispose();
    }
    for (const id of ['long-line', 'garbled']) {
      const d = await cli(['delete', id]);
      expect(d.code, d.stderr).toBe(0);
    }
    expect(readdirSync(runs).sort()).toEqual(['good-run']);
  }, 180_000);
});
