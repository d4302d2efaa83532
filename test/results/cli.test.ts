import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { cellSamples, writeRunFolder } from './fixtures';

const run = promisify(execFile);
let root: string;

async function cli(
  args: string[],
  runsDir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [builtCli(), ...args], {
      env: { ...process.env, BENCHVISOR_RUNS: runsDir, BENCHVISOR_CACHE: join(root, 'cache') },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bv-cli-'));
  writeRunFolder(join(root, 'runsA'), 'run-a', [
    ...cellSamples('native', 'syscall', 100, { runId: 'run-a' }),
    ...cellSamples('docker', 'syscall', 103, { runId: 'run-a' }),
  ]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('benchvisor export / import', () => {
  it('exports a run by id and imports it elsewhere; list shows it as imported', async () => {
    const exp = await cli(
      ['export', 'run-a', '--out', join(root, 'b/run-a.zip')],
      join(root, 'runsA'),
    );
    expect(exp.code).toBe(0);
    const file = exp.stdout.trim().split('\n').pop()!;
    expect(file).toBe(join(root, 'b', 'run-a.zip'));
    expect(existsSync(file)).toBe(true);

    const imp = await cli(['import', file], join(root, 'runsB'));
    expect(imp.code).toBe(0);
    expect(imp.stdout.trim()).toBe(join(root, 'runsB', 'run-a'));
    const list = await cli(['list', '--json'], join(root, 'runsB'));
    expect(JSON.parse(list.stdout)).toMatchObject([
      { runId: 'run-a', imported: true, sampleCount: 10 },
    ]);
  });

  it('fails clearly: unknown run, missing --out, invalid bundle', async () => {
    const missing = await cli(
      ['export', 'nope', '--out', join(root, 'x.zip')],
      join(root, 'runsA'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run "nope"/);
    const noOut = await cli(['export', 'run-a'], join(root, 'runsA'));
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out <file\.zip> is required/);
    writeFileSync(join(root, 'bad.zip'), 'not a zip');
    const bad = await cli(['import', join(root, 'bad.zip')], join(root, 'runsC'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid bundle: not a readable zip file/);
  });
});

describe('benchvisor show', () => {
  it("prints a run's findings and statistics tables, or JSON", async () => {
    const text = await cli(['show', 'run-a'], join(root, 'runsA'));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Synthetic run-a\nrun run-a · completed/);
    expect(text.stdout).toMatch(/FINDINGS\n {2}\[info\] Platforms had different CPU counts\n/);
    expect(text.stdout).toContain('native CPUs: 2 · docker CPUs: 1');
    // The table: the header, then native as the reference and docker ~3% slower (more ns).
    const table = text.stdout.slice(text.stdout.indexOf('SYSTEM CALL  ns, lower is better'));
    const lines = table.split('\n').slice(1, 4);
    expect(lines[0]).toMatch(
      /^ {2}Platform\s+n\s+Mean\s+CV\s+95% CI \(log scale\)\s+Relative speed\s+Speed in words\s+Verdict vs reference$/,
    );
    expect(lines[1]).toMatch(/^ {2}Native\s+5\s+100\s+.*1 \(reference\)$/);
    // Docker's 3% more ns: the speed ratio's CI excludes 1, so the verdict is "slower".
    expect(lines[2]).toMatch(
      /^ {2}Docker\s+5\s+103\s+.*0\.971 \(0\.9\d+–0\.9\d+\)\s+0\.97× — 3\.0% more time\s+slower$/,
    );

    const json = await cli(['show', 'run-a', '--json'], join(root, 'runsA'));
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      run: { runId: string };
      summary: { cells: { platform: string; n: number }[] };
      findings: { id: string }[];
    };
    expect(parsed.run.runId).toBe('run-a');
    expect(parsed.summary.cells.filter((c) => c.n === 5).length).toBeGreaterThanOrEqual(2);
    expect(parsed.findings.map((f) => f.id)).toContain('vcpu-mismatch');

    const missing = await cli(['show', 'nope'], join(root, 'runsA'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run "nope"/);
  });
});

describe('benchvisor compare', () => {
  it('compares two runs cell by cell with verdicts, or as JSON', async () => {
    const runs = join(root, 'runsCompare');
    writeRunFolder(runs, 'before', [
      ...cellSamples('native', 'syscall', 100, { runId: 'before' }),
      ...cellSamples('docker', 'syscall', 103, { runId: 'before', n: 7 }),
      ...cellSamples('native', 'linpack', 1000, { runId: 'before' }),
      ...cellSamples('native', 'forksum', 0.0726, { runId: 'before', n: 2 }),
    ]);
    writeRunFolder(runs, 'after', [
      ...cellSamples('native', 'syscall', 80, { runId: 'after' }), // fewer ns: better
      ...cellSamples('docker', 'syscall', 103, { runId: 'after', n: 7 }), // unchanged
      ...cellSamples('native', 'forksum', 0.0726, { runId: 'after', n: 1 }), // one repetition
      ...cellSamples('docker', 'linpack', 900, { runId: 'after' }), // not in "before"
    ]);
    const text = await cli(['compare', 'before', 'after'], runs);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^baseline {2}before {2}Synthetic before · 19 samples$/);
    expect(lines[1]).toMatch(/^candidate after {2}Synthetic after · 18 samples$/);
    expect(text.stdout).toMatch(
      /System call\s+Native\s+100 ns \(5\)\s+80 ns \(5\)\s+1\.25× — 20\.0% less time \(.+\)\s+p < 0\.001\s+faster/,
    );
    expect(text.stdout).toMatch(
      /System call\s+Docker\s+103 ns \(7\)\s+103 ns \(7\)\s+1\.00× — same time \(.+\)\s+p = 1\.000\s+same within noise \(±2%\)/,
    );
    expect(text.stdout).toMatch(
      /Fork sum\s+Native\s+0\.073 s \(2\)\s+0\.0726 s \(1\)\s+1\.01× — 0\.6% less time \(n too small for an interval\)\s+—\s+too few repetitions/,
    );
    expect(text.stdout).not.toMatch(/LINPACK/);
    expect(text.stdout).toContain(
      'candidate vs baseline: 1 faster, 0 slower, 1 same within noise (±2%), 0 cannot tell yet, 1 with too few repetitions',
    );

    const json = await cli(['compare', 'before', 'after', '--json'], runs);
    const parsed = JSON.parse(json.stdout) as { rows: { platform: string; verdict: string }[] };
    expect(parsed.rows.map((r) => [r.platform, r.verdict])).toEqual([
      ['native', 'too-few'],
      ['native', 'faster'],
      ['docker', 'same'],
    ]);

    const one = await cli(['compare', 'before'], runs);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/name exactly two runs/);
  });
});
