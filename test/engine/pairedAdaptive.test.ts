/**
 * Adaptive repetitions by whole rounds (issue 19 item 7) through the real runner with fake
 * platforms: in interleaved order the rounds of a benchmark go on until every paired comparison
 * reaches the target, then every cell stops together — every round complete, the same count for
 * every target; the sequential order keeps each cell's own rule (drift keeps it going).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../src/shared/config';
import { decideStop } from '../../src/shared/stats/adaptive';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { ExperimentRunner, type CellRecord } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import { ProcessTracker } from '../../src/main/process/tracker';
import { tempDir } from './helpers';
import { cfg, fakePlatform } from './runnerFakes';

/**
 * A syscall runner whose host drifts: each pair of calls (a round of two targets) is 20% slower
 * than the one before; docker costs 1.1× native, times `wobble(call)`.
 */
function driftingRunner(wobble: (call: number) => number): BenchmarkRunner {
  let calls = 0;
  return {
    id: 'syscall',
    run: async (session) => {
      const platform = String(((await session.meta()) as Record<string, unknown>).platformId);
      const call = calls++;
      const drift = 1 + 0.2 * Math.floor(call / 2);
      const base = platform === 'docker' ? 110 * wobble(call) : 100;
      return { metrics: { nsPerCall: base * drift }, exitCode: 0, durationMs: 5 };
    },
  };
}

const steady = () => 1;
/** ±30% on docker's repetitions: no pair of rounds agrees. */
const noisy = (call: number) => [1.3, 0.7, 1.25, 0.75][call % 4] as number;

describe('adaptive repetitions by whole rounds (fake platforms, real runner)', () => {
  const tmp = tempDir('paired-adaptive');
  afterAll(() => tmp.cleanup());
  let n = 0;

  async function run(
    runner: BenchmarkRunner,
    repetitions: ExperimentConfigInput['repetitions'],
    platforms: ('native' | 'docker')[] = ['native', 'docker'],
  ) {
    const engine = new ExperimentRunner({
      platforms: [fakePlatform('native'), fakePlatform('docker')],
      runners: { syscall: runner },
      store: new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) }),
      tracker: new ProcessTracker(),
      decideStop,
    });
    const started = await engine.start(cfg({ platforms, benchmarks: ['syscall'], repetitions }));
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    return { fin, cells, samples: readSamples(fin.dir) };
  }

  const adaptive = { enabled: true, minRepetitions: 3, maxRepetitions: 10, targetCiPercent: 5 };

  /** Every round measured every target once. */
  function roundsComplete(samples: ReturnType<typeof readSamples>, targets: number): void {
    const byRound = new Map<number, string[]>();
    for (const s of samples) {
      const r = s.meta.round as number;
      byRound.set(r, [...(byRound.get(r) ?? []), s.target ?? s.platform]);
    }
    for (const ts of byRound.values()) expect(new Set(ts).size).toBe(targets);
  }

  it('drifting but paired: both cells stop together at the minimum, "paired by round"', async () => {
    const r = await run(driftingRunner(steady), {
      order: 'interleaved',
      warmup: 0,
      instances: 1,
      adaptive,
    });
    expect(r.fin.status).toBe('completed');
    expect(r.cells.map((c) => [c.target, c.measured])).toEqual([
      ['native', 3],
      ['docker', 3],
    ]);
    for (const c of r.cells)
      expect(c.adaptive?.stopReason).toMatch(
        /^paired by round: widest interval ±\d\.\d% \(docker vs native\) ≤ 5% after 3 rounds$/,
      );
    roundsComplete(r.samples, 2);
  });

  it('the same drift in sequential order: each cell on its own interval goes on', async () => {
    const r = await run(driftingRunner(steady), { order: 'sequential', warmup: 0, adaptive });
    for (const c of r.cells) {
      expect(c.measured).toBeGreaterThan(3);
      expect(c.adaptive?.stopReason).not.toMatch(/paired by round/);
    }
  });

  it('noisy pairs go on to the cap, every target with the same count', async () => {
    const r = await run(driftingRunner(noisy), {
      order: 'interleaved',
      warmup: 0,
      instances: 1,
      adaptive,
    });
    expect(r.cells.map((c) => c.measured)).toEqual([10, 10]);
    for (const c of r.cells)
      expect(c.adaptive?.stopReason).toMatch(/^paired by round: cap of 10 rounds reached/);
    roundsComplete(r.samples, 2);
  });

  it('several instances: each instance settles its own rounds, the cap shared out', async () => {
    const r = await run(driftingRunner(steady), {
      order: 'interleaved',
      warmup: 0,
      instances: 2,
      adaptive: { ...adaptive, minRepetitions: 2, maxRepetitions: 8 },
    });
    // Each instance needs 3 rounds for an interval (none from 2 pairs): 3 + 3.
    expect(r.cells.map((c) => c.measured)).toEqual([6, 6]);
    expect(r.samples.map((s) => s.meta.instance)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    for (const c of r.cells)
      expect(c.adaptive?.stopReason).toMatch(
        /^instance 1: paired by round: .* after 3 rounds; instance 2: paired by round: .* after 3 rounds$/,
      );
    roundsComplete(r.samples, 2);
  });
});
