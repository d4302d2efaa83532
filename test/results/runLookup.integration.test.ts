/**
 * Issue #9 item 5: runs are found by id only wherever the API reaches. Before,
 * `runs:get {runId:"x"}` fell back to `./x` in the server's working directory, so a
 * web client could read, export and download a folder next to where the server started.
 * The CLI may still name a folder explicitly, by a path with a slash (`./x`, `/abs/x`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceForEngine } from '../../src/main/api/appService';
import { dispatch } from '../../src/main/api/dispatch';
import { createEngine } from '../../src/main/composition';
import { cellSamples, writeRunFolder } from './fixtures';
import { builtCli } from '../support/builtApp';

const CLI = builtCli();
let root: string;
let cwd: string;
let runs: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd,
        env: { ...process.env, BENCHVISOR_RUNS: runs, BENCHVISOR_CACHE: join(root, 'cache') },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bv-lookup-'));
  cwd = join(root, 'cwd');
  runs = join(root, 'runs');
  // A complete run folder named "x" in the working directory, none in the runs folder.
  writeRunFolder(cwd, 'x', cellSamples('native', 'syscall', 100, { runId: 'x' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('run lookup', () => {
  it('the API never resolves a run id against the working directory', async () => {
    const before = process.cwd();
    process.chdir(cwd);
    const engine = createEngine({
      env: { ...process.env, BENCHVISOR_RUNS: runs, BENCHVISOR_CACHE: join(root, 'cache') },
    });
    const app = serviceForEngine(engine);
    const conn = app.service.connect({ send: () => undefined }, 'websocket');
    try {
      expect(existsSync(join(process.cwd(), 'x', 'experiment.json'))).toBe(true);
      for (const [channel, req] of [
        ['runs:get', { runId: 'x' }],
        ['runs:export', { runId: 'x' }],
        ['runs:delete', { runId: 'x' }],
        ['console:history', { runId: 'x', platform: 'native' }],
      ] as const) {
        const res = await dispatch(conn.handlers, channel, req);
        expect(res, channel).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
      expect(existsSync(join(cwd, 'x', 'experiment.json'))).toBe(true);
    } finally {
      conn.close();
      await app.dispose();
      process.chdir(before);
    }
  });

  it('the CLI takes a bare word as a run id and a path with a slash as a folder', async () => {
    const byId = await cli(['show', 'x']);
    expect(byId.code).toBe(2);
    expect(byId.stderr).toMatch(/no run "x"/);
    const byPath = await cli(['show', './x']);
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(byPath.stdout).toMatch(/^Synthetic x$/m);
    const absolute = await cli(['show', '--json', join(cwd, 'x')]);
    expect(absolute.code, absolute.stderr).toBe(0);
    expect(JSON.parse(absolute.stdout).run.runId).toBe('x');
  });
});
