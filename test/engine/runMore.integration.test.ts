/**
 * "Run N more repetitions" on the native platform with the real benchmark binaries: the new
 * samples go into the same run folder, numbered on, and the summary and cells.json are remade
 * from all of them; runs that may not be extended are refused with the reason, changing nothing.
 * The CLI's `more` is spawned as users run it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { summarize } from '../../src/shared/stats/summary';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/run/runner';
import { builtCli } from '../support/builtApp';
import { privateBinDir, ROOT, tempDir } from './helpers';
import { nativeRunner } from './nativeRunner';

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('run N more repetitions (native)', () => {
  const tmp = tempDir('run-more');
  const runsDir = join(tmp.dir, 'runs');
  const binDir = join(tmp.dir, 'bin');
  const { runner, tracker, store } = nativeRunner(binDir, runsDir, { summarize });
  let runId = '';
  beforeAll(async () => {
    privateBinDir(tmp.dir);
    const parsed = parseExperimentConfig({
      name: 'more test',
      platforms: ['native'],
      benchmarks: ['syscall'],
      repetitions: { count: 2, warmup: 0 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');
    runId = fin.runId;
  });
  afterAll(() => tmp.cleanup());

  it('appends the new samples to the same run, numbered on, and remakes the summary', async () => {
    const started = await runner.extend(runId, 2);
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.runId).toBe(runId);
    const fin = await started.value.finished;
    expect(fin).toMatchObject({ runId, status: 'completed', measured: 2, failed: 0 });
    expect(store.list()).toHaveLength(1); // no new run
    const detail = store.get(runId);
    expect(detail.samples.map((s) => s.rep)).toEqual([1, 2, 3, 4]);
    expect(detail.cells).toEqual([
      expect.objectContaining({ target: 'native', status: 'completed', measured: 4, failed: 0 }),
    ]);
    const summary = JSON.stringify(detail.summary);
    expect(summary).toMatch(/"n":4/);
    const experiment = detail.experiment as Record<string, unknown>;
    expect(experiment.status).toBe('completed');
    expect(experiment.message).toMatch(/2 more repetitions completed \(4 in all\)/);
    expect(experiment.extensions).toEqual([
      expect.objectContaining({ repetitions: 2, measured: 2, failed: 0, status: 'completed' }),
    ]);
    expect(tracker.size).toBe(0);
  });

  it('refuses a run that is not finished, imported, or whose targets are not here', async () => {
    const dir = store.dirOf(runId);
    const before = readFileSync(join(dir, 'samples.ndjson'), 'utf8');
    const experimentPath = join(dir, 'experiment.json');
    const original = readFileSync(experimentPath, 'utf8');

    // Interrupted: its process died while it read "running".
    writeFileSync(
      experimentPath,
      JSON.stringify({ ...JSON.parse(original), status: 'running', pid: 2 ** 22 + 7 }),
    );
    const interrupted = await runner.extend(runId, 1);
    expect(interrupted).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!interrupted.ok) expect(interrupted.error.message).toMatch(/interrupted.*finished run/);

    // Imported from another machine.
    writeFileSync(experimentPath, JSON.stringify({ ...JSON.parse(original), imported: true }));
    const imported = await runner.extend(runId, 1);
    if (imported.ok) throw new Error('an imported run was extended');
    expect(imported.error.message).toMatch(/imported: its targets are on the machine/);
    writeFileSync(experimentPath, original);

    // A runner without the run's platform: its target is not available.
    const elsewhere = new ExperimentRunner({
      platforms: [],
      runners: createBenchmarkRunners(),
      store,
      tracker,
    });
    const gone = await elsewhere.extend(runId, 1);
    if (gone.ok) throw new Error('a run without its platform was extended');
    expect(gone.error.code).toBe('UNAVAILABLE');
    expect(gone.error.message).toMatch(/no repetitions were added to run .*not built into/s);

    expect(await runner.extend('no-such-run', 1)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await runner.extend(runId, 0)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(readFileSync(join(dir, 'samples.ndjson'), 'utf8')).toBe(before);
    expect(readJson(experimentPath).status).toBe('completed');
  });

  it('the CLI: `more RUN --repetitions N` appends; bad arguments are refused', () => {
    const env = {
      ...process.env,
      BENCHVISOR_RUNS: runsDir,
      BENCHVISOR_CACHE: join(tmp.dir, 'cache'),
      BENCHVISOR_BENCH_DIR: binDir,
    };
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [builtCli(), ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const help = cli(['--help']);
    expect(help.stdout).toMatch(/more\s+run N more repetitions of a finished run/);
    const bad = cli(['more', runId, '--repetitions', 'lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--repetitions must be a whole number from 1 to 1000/);
    const missing = cli(['more', 'nope', '-n', '1']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no run "nope"/);
    const more = cli(['more', runId, '-n', '1']);
    expect(more.stderr).toMatch(/1 more repetitions? completed \(5 in all\)/);
    expect(more.status).toBe(0);
    expect(more.stdout.trim().split('\n').at(-1)).toBe(store.dirOf(runId));
    expect(store.get(runId).samples.map((s) => s.rep)).toEqual([1, 2, 3, 4, 5]);
  });
});
