/**
 * Adaptive repetitions through the runner (fake platform, scripted outcomes): failing
 * repetitions do not count towards the minimum or the CI, and minSeconds holds the cell open
 * until that much time was measured, however tight the CI already is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { ExperimentConfigInput } from '../../src/shared/config';
import { decideStop } from '../../src/shared/stats/adaptive';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { ExperimentRunner, type CellRecord } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import { ProcessTracker } from '../../src/main/process/tracker';
import { tempDir } from './helpers';
import { cfg, fakePlatform } from './runnerFakes';

/** One scripted repetition: a value (or null: the repetition fails) and how long it took. */
type Step = { value: number | null; ms: number };

function scripted(
  id: BenchmarkId,
  metric: string,
  steps: Step[],
): BenchmarkRunner & { calls: number } {
  const r = {
    id,
    calls: 0,
    run: () => {
      const s = steps[Math.min(r.calls, steps.length - 1)]!;
      r.calls++;
      return Promise.resolve(
        s.value === null
          ? { metrics: {}, exitCode: 1, durationMs: s.ms, error: 'exit code 1' }
          : { metrics: { [metric]: s.value }, exitCode: 0, durationMs: s.ms },
      );
    },
  };
  return r;
}

const ok = (value: number, ms = 10): Step => ({ value, ms });
const fail = (ms = 10): Step => ({ value: null, ms });

describe('adaptive repetitions in the runner', () => {
  const tmp = tempDir('adaptive');
  afterAll(() => tmp.cleanup());
  let n = 0;

  async function runCell(
    runner: BenchmarkRunner,
    adaptive: NonNullable<ExperimentConfigInput['repetitions']>['adaptive'],
  ) {
    const store = new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) });
    const engine = new ExperimentRunner({
      platforms: [fakePlatform('native')],
      runners: { [runner.id]: runner },
      store,
      tracker: new ProcessTracker(),
      decideStop,
    });
    const started = await engine.start(
      cfg({ benchmarks: [runner.id], repetitions: { adaptive: { enabled: true, ...adaptive } } }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    expect(cells).toHaveLength(1);
    return { cell: cells[0]!, samples: readSamples(fin.dir) };
  }

  it('failing repetitions do not count towards the minimum: three good values are needed', async () => {
    // Tight values: with the failures counted, the cell would stop after 3 repetitions.
    const r = scripted('linpack', 'kflops', [
      ok(100),
      fail(),
      ok(100.1),
      fail(),
      ok(99.9),
      ok(100),
    ]);
    const { cell, samples } = await runCell(r, {
      minRepetitions: 3,
      maxRepetitions: 10,
      targetCiPercent: 5,
    });
    expect(r.calls).toBe(5);
    expect(samples.map((s) => s.value)).toEqual([100, null, 100.1, null, 99.9]);
    expect(cell).toMatchObject({ measured: 5, failed: 2, status: 'partial' });
    expect(cell.adaptive?.stopReason).toMatch(/^CI ±\d+\.\d% ≤ 5% after 3 repetitions$/);
  });

  it('failures eat into the cap: every repetition failing runs to the cap and fails the cell', async () => {
    const r = scripted('linpack', 'kflops', [fail()]);
    const { cell, samples } = await runCell(r, {
      minRepetitions: 3,
      maxRepetitions: 4,
      targetCiPercent: 5,
    });
    expect(r.calls).toBe(4);
    expect(samples.map((s) => s.value)).toEqual([null, null, null, null]);
    expect(cell).toMatchObject({ measured: 4, failed: 4, status: 'failed' });
    expect(cell.adaptive?.stopReason).toBe(
      'cap of 4 repetitions reached (0 of at least 3 repetitions done)',
    );
  });

  it('minSeconds keeps a tight cell going until that much time was measured', async () => {
    // 0.25 s per repetition, CI 0% from the start: only the time rule holds the cell open.
    const r = scripted('syscall', 'nsPerCall', [ok(50, 250)]);
    const { cell } = await runCell(r, {
      minRepetitions: 3,
      maxRepetitions: 20,
      targetCiPercent: 5,
      minSeconds: 2,
    });
    // 8 × 0.25 s = 2 s: the eighth repetition reaches the minimum time.
    expect(r.calls).toBe(8);
    expect(cell).toMatchObject({ measured: 8, failed: 0, status: 'completed' });
    expect(cell.adaptive?.rule.minSeconds).toBe(2);
    expect(cell.adaptive?.stopReason).toMatch(/≤ 5% after 8 repetitions/);
  });

  it('without minSeconds the same cell stops at the minimum count', async () => {
    const r = scripted('syscall', 'nsPerCall', [ok(50, 250)]);
    const { cell } = await runCell(r, {
      minRepetitions: 3,
      maxRepetitions: 20,
      targetCiPercent: 5,
    });
    expect(r.calls).toBe(3);
    expect(cell.measured).toBe(3);
  });

  it('the cap wins over minSeconds', async () => {
    const r = scripted('syscall', 'nsPerCall', [ok(50, 250)]);
    const { cell } = await runCell(r, {
      minRepetitions: 3,
      maxRepetitions: 5,
      targetCiPercent: 5,
      minSeconds: 60,
    });
    expect(r.calls).toBe(5);
    expect(cell.adaptive?.stopReason).toMatch(/cap of 5 repetitions reached/);
  });
});
