/**
 * "Run N more repetitions" through the real runner with fake platforms: an interleaved run with
 * two instances gets more repetitions whose rounds, instances and repetition numbers continue
 * the run's (same seed), and cells.json adds the counts; the planning rules on constructed runs.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src/shared/api';
import type { CellRecord } from '../../src/shared/run';
import type { Sample } from '../../src/shared/sample';
import { ExperimentRunner } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import {
  extensionGroups,
  extensionStart,
  mergeCells,
  planExtension,
} from '../../src/main/run/runExtension';
import { ProcessTracker } from '../../src/main/process/tracker';
import { MiB, smallHost } from '../support/hostCapacity';
import { tempDir } from './helpers';
import { cfg, fakePlatform, listRunner } from './runnerFakes';

describe('run N more repetitions', () => {
  const tmp = tempDir('run-extension');
  afterAll(() => tmp.cleanup());

  it('continues an interleaved run: same seed, rounds, instances and reps numbered on', async () => {
    const store = new RunStore({ runsDir: tmp.dir });
    const runner = new ExperimentRunner({
      platforms: [fakePlatform('native'), fakePlatform('docker')],
      runners: { linpack: listRunner('linpack', 'kflops', [100, 101, 99]) },
      store,
      tracker: new ProcessTracker(),
    });
    const config = cfg({
      platforms: ['native', 'docker'],
      repetitions: { count: 4, warmup: 1, order: 'interleaved', instances: 2 },
    });
    const first = await runner.start(config);
    if (!first.ok) throw new Error(first.error.message);
    const fin = await first.value.finished;
    expect(fin.status).toBe('completed');
    const seed = (store.get(fin.runId).experiment as { design: { seed: number } }).design.seed;

    const more = await runner.extend(fin.runId, 2);
    if (!more.ok) throw new Error(more.error.message);
    expect((await more.value.finished).measured).toBe(4);
    const detail = store.get(fin.runId);
    const added = detail.samples.slice(8);
    expect(added).toHaveLength(4);
    for (const s of added) {
      expect(s.rep).toBeGreaterThan(4);
      expect(s.meta).toMatchObject({ order: 'interleaved', seed });
      expect((s.meta as { round: number }).round).toBeGreaterThan(4);
      expect((s.meta as { instance: number }).instance).toBeGreaterThan(2);
    }
    expect(added.filter((s) => s.platform === 'native').map((s) => s.rep)).toEqual([5, 6]);
    expect(detail.cells?.map((c) => [c.target, c.measured, c.warmup, c.status])).toEqual([
      ['native', 6, 2, 'completed'],
      ['docker', 6, 2, 'completed'],
    ]);
    expect((detail.experiment as { design: { seed: number } }).design.seed).toBe(seed);
  });

  it('continues in the groups the run recorded, though the host now has room for all', async () => {
    // 1000 MiB available: the 512 and 513 MiB guests fit one at a time, not together.
    const small = smallHost();
    let capacity = small;
    const store = new RunStore({ runsDir: join(tmp.dir, 'groups') });
    const runner = new ExperimentRunner({
      platforms: [fakePlatform('qemu-tcg')],
      runners: { linpack: listRunner('linpack', 'kflops', [100, 101, 99]) },
      store,
      tracker: new ProcessTracker(),
      hostCapacity: () => capacity,
    });
    const first = await runner.start(
      cfg({
        platforms: ['qemu-tcg'],
        guest: { memoryMiB: [512, 513] },
        repetitions: { count: 2, warmup: 0, order: 'interleaved', instances: 1 },
      }),
    );
    if (!first.ok) throw new Error(first.error.message);
    const fin = await first.value.finished;
    const groups = [['qemu-tcg.512mib'], ['qemu-tcg.513mib']];
    expect(
      (store.get(fin.runId).experiment as { design: { groups: string[][] } }).design.groups,
    ).toEqual(groups);

    // Now the host could hold both: the continuation still interleaves the recorded groups.
    capacity = { ...small, memoryAvailableBytes: 8000 * MiB };
    const more = await runner.extend(fin.runId, 2);
    if (!more.ok) throw new Error(more.error.message);
    expect((await more.value.finished).status).toBe('completed');
    const added = store.get(fin.runId).samples.slice(4);
    expect(added.map((s) => [s.target, s.meta.group, s.meta.round])).toEqual([
      ['qemu-tcg.512mib', 1, 5],
      ['qemu-tcg.512mib', 1, 6],
      ['qemu-tcg.513mib', 2, 7],
      ['qemu-tcg.513mib', 2, 8],
    ]);
  });

  it("extension groups: the recorded ones narrowed to the targets that run again, else the host's", () => {
    const design = {
      order: 'interleaved' as const,
      instances: 1,
      groups: [['a', 'b'], ['c'], ['d']],
    };
    expect(extensionGroups(design, ['a', 'b', 'c', 'd'], null)).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(extensionGroups(design, ['a', 'c'], [['a', 'c']])).toEqual([['a'], ['c']]);
    expect(extensionGroups(design, ['a', 'b'], null)).toBeNull();
    expect(extensionGroups(design, ['a', 'c', 'e'], null)).toEqual([['a'], ['c'], ['e']]);
    const noGroups = { order: 'interleaved' as const, instances: 1 };
    expect(extensionGroups(noGroups, ['a', 'b'], null)).toBeNull();
    expect(extensionGroups(noGroups, ['a', 'b'], [['a'], ['b']])).toEqual([['a'], ['b']]);
    expect(extensionGroups(undefined, ['a', 'b'], null)).toBeNull();
  });

  const sample = (rep: number, meta: Record<string, unknown> = {}): Sample => ({
    runId: 'r',
    platform: 'native',
    target: 'native',
    benchmark: 'linpack',
    rep,
    metric: 'kflops',
    value: 1,
    unit: 'KFLOPS',
    metrics: {},
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    exitCode: 0,
    meta,
  });
  const detail = (item: Partial<RunDetail['item']>, samples: Sample[]): RunDetail => ({
    item: {
      runId: 'r',
      name: 'r',
      dir: '/r',
      startedAt: '2026-01-01T00:00:00Z',
      status: 'completed',
      platforms: ['native'],
      benchmarks: ['linpack'],
      sampleCount: samples.length,
      failedCount: 0,
      imported: false,
      ...item,
    },
    experiment: { config: { platforms: ['native', 'docker'], benchmarks: ['linpack', 'syscall'] } },
    environment: {},
    samples,
  });

  it('plans from what the run measured, and refuses runs it may not extend', () => {
    const plan = planExtension(detail({}, [sample(1), sample(3, { round: 7, instance: 2 })]), 5);
    if (!plan.ok) throw new Error(plan.error.message);
    // Only the platform and benchmark that measured something run again, 5 each, no adaptive rule.
    expect(plan.value.config.platforms).toEqual(['native']);
    expect(plan.value.config.benchmarks.map((b) => b.id)).toEqual(['linpack']);
    expect(plan.value.config.repetitions).toMatchObject({ count: 5, adaptive: { enabled: false } });
    expect(plan.value.start).toEqual({
      reps: new Map([['native|linpack', 3]]),
      round: 7,
      instance: 2,
    });
    const refusal = (item: Partial<RunDetail['item']>, samples = [sample(1)]) => {
      const r = planExtension(detail(item, samples), 1);
      return r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}`;
    };
    expect(refusal({ status: 'running' })).toMatch(/^BUSY: .*still running/);
    expect(refusal({ status: 'interrupted' })).toMatch(/INVALID_INPUT: .*interrupted/);
    expect(refusal({ imported: true })).toMatch(/imported/);
    expect(refusal({ host: 'lab1' })).toMatch(/lab host lab1/);
    expect(refusal({}, [{ ...sample(1), value: null }])).toMatch(/no measured repetition/);
    expect(refusal({ status: 'failed' })).toBe('accepted');
    expect(planExtension(detail({}, [sample(1)]), 1001).ok).toBe(false);
    expect(extensionStart([]).round).toBe(0);
  });

  it('adds the counts of a cell; the worse status stands', () => {
    const cell = (status: CellRecord['status'], measured: number, failed = 0): CellRecord => ({
      platform: 'native',
      target: 'native',
      benchmark: 'linpack',
      status,
      measured,
      failed,
      warmup: 1,
    });
    expect(mergeCells([cell('completed', 3)], [cell('completed', 2)])).toEqual([
      { ...cell('completed', 5), warmup: 2 },
    ]);
    expect(mergeCells([cell('partial', 3, 1)], [cell('completed', 2)])[0]).toMatchObject({
      status: 'partial',
      measured: 5,
      failed: 1,
      warmup: 2,
    });
    expect(mergeCells([cell('completed', 3)], [cell('failed', 2, 2)])[0]?.status).toBe('failed');
    const skipped = { ...cell('skipped', 0), benchmark: 'forksum' as const };
    expect(mergeCells([skipped], [])).toEqual([skipped]);
  });
});
