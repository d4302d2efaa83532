/**
 * The disk benchmark's "Time the first write" on the native platform with the real binary: on,
 * the repetition runs with --no-fill (no untimed fill, no fillSeconds) and its sample records the
 * choice; off, the fill runs untimed before the timed overwrite.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { RunStore } from '../../src/main/store/runStore';
import { nativeRunner, nativeTestDir } from './nativeRunner';

describe('disk benchmark: first write timed or not (native)', () => {
  const tmp = nativeTestDir('disk-first-write');

  it('passes --no-fill when asked and records it; fills untimed otherwise', async () => {
    const { runner, tracker } = nativeRunner(tmp.binDir, join(tmp.dir, 'runs'));
    const run = async (firstWrite: number) => {
      const parsed = parseExperimentConfig({
        platforms: ['native'],
        benchmarks: [{ id: 'diskwrite', params: { sizeMiB: 2, blockKiB: 256, firstWrite } }],
        repetitions: { count: 1, warmup: 0 },
      });
      if (!parsed.ok) throw new Error(parsed.message);
      const started = await runner.start(parsed.config);
      if (!started.ok) throw new Error(started.error.message);
      await started.value.finished;
      return new RunStore({ runsDir: join(tmp.dir, 'runs') }).get(started.value.runId).samples[0]!;
    };
    const first = await run(1);
    expect(first.value).toBeGreaterThan(0);
    expect(first.meta.params).toMatchObject({ firstWrite: 1 });
    expect(first.metrics.fillSeconds).toBeUndefined();
    const overwrite = await run(0);
    expect(overwrite.value).toBeGreaterThan(0);
    expect(overwrite.metrics.fillSeconds).toBeGreaterThanOrEqual(0);
    expect(tracker.size).toBe(0);
  });
});
