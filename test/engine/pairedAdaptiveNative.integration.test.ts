/**
 * Adaptive repetitions by whole rounds with real native targets (issue 19 item 7): native and
 * its A/A control twin, the real System call benchmark, interleaved and adaptive. However the
 * host's noise falls (the counts depend on it, the test does not), the run ends with both
 * targets measured the same number of times, every round complete, each cell's stop recorded as
 * "paired by round", and nothing left running.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { decideStop } from '../../src/shared/stats/adaptive';
import { readSamples } from '../../src/main/store/runStore';
import type { CellRecord } from '../../src/shared/run';
import { readFileSync } from 'node:fs';
import { processesMatching } from './helpers';
import { nativeRunner, nativeTestDir } from './nativeRunner';

describe('adaptive rounds with native and its A/A control (real targets)', () => {
  const tmp = nativeTestDir('paired-adaptive-native');
  const { binDir } = tmp;

  it('every target gets the same number of repetitions, all rounds complete', async () => {
    const { runner: engine, tracker } = nativeRunner(binDir, join(tmp.dir, 'runs'), { decideStop });
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      profile: 'quick',
      benchmarks: ['syscall'],
      repetitions: {
        order: 'interleaved',
        control: true,
        warmup: 0,
        adaptive: { enabled: true, minRepetitions: 3, maxRepetitions: 6, targetCiPercent: 5 },
      },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await engine.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');

    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    expect(cells.map((c) => c.target)).toEqual(['native', 'native.control']);
    const [a, b] = cells as [CellRecord, CellRecord];
    expect(a.measured).toBe(b.measured);
    expect(a.measured).toBeGreaterThanOrEqual(3);
    expect(a.measured).toBeLessThanOrEqual(6);
    for (const c of cells) expect(c.adaptive?.stopReason).toMatch(/^paired by round: /);

    const samples = readSamples(fin.dir);
    expect(samples).toHaveLength(a.measured * 2);
    const rounds = new Map<number, string[]>();
    for (const s of samples)
      rounds.set(s.meta.round as number, [
        ...(rounds.get(s.meta.round as number) ?? []),
        s.target ?? '',
      ]);
    expect(rounds.size).toBe(a.measured);
    for (const targets of rounds.values())
      expect(targets.sort()).toEqual(['native', 'native.control']);

    expect(tracker.size).toBe(0);
    expect(processesMatching(join(binDir, 'syscall'))).toEqual([]);
  });
});
