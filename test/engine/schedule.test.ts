/**
 * The schedule seam (run/schedule.ts): the order of repetitions is a Schedule, and the
 * runner's ops let several targets be open at once. A round-robin schedule written here (every
 * target opened first, one repetition per cell per round) runs through the real runner with
 * fake platforms: repetitions interleave, each cell keeps its own counts across rounds,
 * keyboard input reaches each live target, and every target is closed once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CellRecord } from '../../src/main/run/runner';
import { ExperimentRunner } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import type { LiveTarget } from '../../src/main/run/liveTarget';
import { sequentialSchedule, type Schedule } from '../../src/main/run/schedule';
import { ProcessTracker } from '../../src/main/process/tracker';
import { tempDir } from './helpers';
import { cfg, fakePlatform, listRunner } from './runnerFakes';

describe('schedules', () => {
  const tmp = tempDir('schedule');
  afterAll(() => tmp.cleanup());
  let n = 0;

  async function run(schedule: Schedule, onEngine?: (e: ExperimentRunner) => void) {
    const store = new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) });
    const platform = fakePlatform('qemu-tcg');
    const engine = new ExperimentRunner({
      platforms: [platform],
      runners: { linpack: listRunner('linpack', 'kflops', [1, 2, 3, 4, 5, 6]) },
      store,
      tracker: new ProcessTracker(),
      schedule,
    });
    onEngine?.(engine);
    const started = await engine.start(
      cfg({
        platforms: ['qemu-tcg'],
        guest: { cacheMode: ['none', 'writeback'] },
        repetitions: { count: 3, warmup: 0 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    return { platform, fin: await started.value.finished };
  }

  it('round robin: both targets open at once, repetitions alternate, cells complete', async () => {
    const written: Record<string, boolean> = {};
    let engineRef: ExperimentRunner | null = null;
    const roundRobin: Schedule = {
      name: 'round-robin',
      async run(work, ops) {
        const open: [LiveTarget, (typeof work)[number]][] = [];
        for (const w of work) {
          const live = await ops.open(w);
          if (live) open.push([live, w]);
        }
        // Both sessions are live: input reaches each target by its id.
        for (const [live] of open)
          written[live.target.id] = engineRef!.write('qemu-tcg', 'x', undefined, live.target.id);
        let busy = true;
        while (busy && !ops.cancelled()) {
          busy = false;
          for (const [live, w] of open)
            for (const cell of w.cells) if (await ops.step(live, cell)) busy = true;
        }
        for (const [live, w] of open) await ops.close(live, w);
      },
    };
    const { fin, platform } = await run(roundRobin, (e) => (engineRef = e));
    expect(fin.status).toBe('completed');
    expect(written).toEqual({ 'qemu-tcg.cache-none': true, 'qemu-tcg.cache-writeback': true });
    const order = readSamples(fin.dir).map((s) => `${s.target}#${s.rep}`);
    expect(order).toEqual([
      'qemu-tcg.cache-none#1',
      'qemu-tcg.cache-writeback#1',
      'qemu-tcg.cache-none#2',
      'qemu-tcg.cache-writeback#2',
      'qemu-tcg.cache-none#3',
      'qemu-tcg.cache-writeback#3',
    ]);
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    expect(cells.map((c) => [c.target, c.status, c.measured])).toEqual([
      ['qemu-tcg.cache-none', 'completed', 3],
      ['qemu-tcg.cache-writeback', 'completed', 3],
    ]);
    expect(platform.disposed).toBe(2);
  });

  it('sequential (the default): one target after another', async () => {
    const { fin, platform } = await run(sequentialSchedule);
    expect(readSamples(fin.dir).map((s) => `${s.target}#${s.rep}`)).toEqual([
      'qemu-tcg.cache-none#1',
      'qemu-tcg.cache-none#2',
      'qemu-tcg.cache-none#3',
      'qemu-tcg.cache-writeback#1',
      'qemu-tcg.cache-writeback#2',
      'qemu-tcg.cache-writeback#3',
    ]);
    expect(platform.disposed).toBe(2);
  });
});
