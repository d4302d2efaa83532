/**
 * The run designs through the real runner with fake platforms (issue 19): interleaved rounds
 * in a seeded random order (the order reproducible from the recorded seed), the measuring
 * target resumed and every other paused, instances nested (targets disposed and prepared again
 * between them), one warmup per target and benchmark before the first round, and sequential
 * order with several instances. Round and order bookkeeping in every sample's meta.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../src/shared/config';
import type { Sample } from '../../src/shared/sample';
import { roundOrder } from '../../src/shared/roundOrder';
import { instanceQuotas } from '../../src/main/run/designSchedules';
import type { HostCapacity } from '../../src/main/host/hostCapacity';
import { ExperimentRunner, type CellRecord } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import type { Platform, PlatformSession } from '../../src/main/platforms/platform';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { ProcessTracker } from '../../src/main/process/tracker';
import { smallHost } from '../support/hostCapacity';
import { tempDir } from './helpers';
import { cfg } from './runnerFakes';

/** A TCG-like platform whose sessions can pause; it logs what happens to each target. */
function pausingPlatform() {
  const states = new Map<string, 'running' | 'paused' | 'gone'>();
  const events: string[] = [];
  let boots = 0;
  const platform: Platform = {
    id: 'qemu-tcg',
    capabilities: ['fork', 'syscall', 'float', 'memory', 'disk', 'network'],
    probe: () => Promise.resolve({ available: true }),
    supports: () => Promise.resolve({ available: true }),
    describe: () => Promise.resolve([]),
    prepare: (ctx) => {
      const id = `${ctx.target ?? 'qemu-tcg'}@${++boots}`;
      states.set(id, 'running');
      const session: PlatformSession & { id: string } = {
        id,
        diskTarget: '/dev/null',
        exec: () => Promise.resolve({ exitCode: 0, stdout: '', durationMs: 1 }),
        startService: () => Promise.reject(new Error('no')),
        write: () => true,
        meta: () => Promise.resolve({ containerId: id }),
        pause: () => {
          states.set(id, 'paused');
          return Promise.resolve();
        },
        resume: () => {
          states.set(id, 'running');
          return Promise.resolve();
        },
        dispose: () => {
          states.set(id, 'gone');
          events.push(`dispose ${id}`);
          return Promise.resolve();
        },
      };
      return Promise.resolve(session);
    },
  };
  /** A runner that notes which boots run while it measures (the others must be paused). */
  const runner: BenchmarkRunner = {
    id: 'syscall',
    run: async (session) => {
      const me = String((await session.meta()).containerId);
      const running = [...states].filter(([, s]) => s === 'running').map(([b]) => b);
      events.push(`measure ${me} running=[${running.join(',')}]`);
      return { metrics: { nsPerCall: 100 }, exitCode: 0, durationMs: 5 };
    },
  };
  return { platform, runner, states, events };
}

describe('run designs (fake platforms, real runner)', () => {
  const tmp = tempDir('designs');
  afterAll(() => tmp.cleanup());
  let n = 0;

  async function run(repetitions: ExperimentConfigInput['repetitions'], hostFacts?: HostCapacity) {
    const fake = pausingPlatform();
    const engine = new ExperimentRunner({
      ...(hostFacts ? { hostCapacity: () => hostFacts } : {}),
      platforms: [fake.platform],
      runners: { syscall: fake.runner },
      store: new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) }),
      tracker: new ProcessTracker(),
    });
    const states: Record<string, string>[] = [];
    engine.on('run:progress', (p) => {
      if (p.states) states.push({ ...p.states });
    });
    const started = await engine.start(
      cfg({
        platforms: ['qemu-tcg'],
        benchmarks: ['syscall'],
        guest: { memoryMiB: [512, 513] },
        repetitions,
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const experiment = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8')) as {
      design: { order: string; instances: number; seed?: number; groups?: string[][] };
    };
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    return {
      ...fake,
      fin,
      samples: readSamples(fin.dir),
      design: experiment.design,
      cells,
      progressStates: states,
    };
  }

  it('a cancel mid-round closes the targets without pausing the one that was measuring', async () => {
    // A container's repetition killed by the cancel must not be frozen before its kill has run
    // (docker would hold that kill, and the container, for good).
    const fake = pausingPlatform();
    const pauses: string[] = [];
    const measured: string[] = [];
    const engine = new ExperimentRunner({
      platforms: [
        {
          ...fake.platform,
          prepare: async (ctx) => {
            const s = (await fake.platform.prepare(ctx)) as PlatformSession & { id: string };
            const pause = s.pause!.bind(s);
            return { ...s, pause: () => (pauses.push(s.id), pause()) };
          },
        },
      ],
      runners: {
        syscall: {
          ...fake.runner,
          run: async (session, ...rest) => {
            measured.push(String((await session.meta()).containerId));
            // The third measured repetition is cancelled while it runs.
            if (measured.length === 3) engine.cancel();
            return fake.runner.run(session, ...rest);
          },
        },
      },
      store: new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) }),
      tracker: new ProcessTracker(),
    });
    const started = await engine.start(
      cfg({
        platforms: ['qemu-tcg'],
        benchmarks: ['syscall'],
        guest: { memoryMiB: [512, 513] },
        repetitions: { order: 'interleaved', count: 4, warmup: 0 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('cancelled');
    expect(measured).toHaveLength(3);
    const cancelledOn = measured[2]!;
    // It was paused after its earlier repetitions, never after the cancelled one.
    const pausesOf = pauses.filter((p) => p === cancelledOn).length;
    const measuresBefore = measured.slice(0, 2).filter((m) => m === cancelledOn).length;
    expect(pausesOf).toBe(1 + measuresBefore); // once when opened, once after each earlier one
    expect(fake.events.filter((e) => e.startsWith('dispose'))).toHaveLength(2);
  });

  it('instance quotas share the repetitions out, the first instances taking the rest', () => {
    expect(instanceQuotas(10, 3)).toEqual([4, 3, 3]);
    expect(instanceQuotas(4, 2)).toEqual([2, 2]);
    expect(instanceQuotas(2, 3)).toEqual([1, 1]);
    expect(instanceQuotas(5, 1)).toEqual([5]);
  });

  it('interleaved: rounds in the seeded order, the idle target paused, instances nested', async () => {
    const r = await run({ order: 'interleaved', instances: 2, count: 4, warmup: 1 });
    expect(r.fin.status).toBe('completed');
    expect(r.design).toMatchObject({ order: 'interleaved', instances: 2 });
    const seed = r.design.seed!;
    expect(Number.isInteger(seed)).toBe(true);
    const targets = ['qemu-tcg.512mib', 'qemu-tcg.513mib'];
    const meta = (s: Sample) => s.meta as Record<string, number | string>;
    // Four rounds of both targets; rounds 1–2 in instance 1, 3–4 in instance 2.
    expect(r.samples.map((s) => [meta(s).round, meta(s).instance])).toEqual([
      [1, 1],
      [1, 1],
      [2, 1],
      [2, 1],
      [3, 2],
      [3, 2],
      [4, 2],
      [4, 2],
    ]);
    for (let round = 1; round <= 4; round++) {
      const inRound = r.samples.filter((s) => meta(s).round === round);
      expect(inRound.map((s) => s.target)).toEqual(roundOrder(seed, 'syscall', round, targets));
      expect(inRound.map((s) => meta(s).position)).toEqual([1, 2]);
      for (const s of inRound) expect(meta(s)).toMatchObject({ order: 'interleaved', seed });
    }
    // While one measures, it is the only boot running (warmups included).
    const measures = r.events.filter((e) => e.startsWith('measure'));
    expect(measures).toHaveLength(2 + 8);
    for (const m of measures) {
      const [, me, running] = /^measure (\S+) running=\[(.*)\]$/.exec(m)!;
      expect(running).toBe(me);
    }
    // One warmup per target before the first round only: boots 1 and 2 measure 5 times each.
    expect(measures.filter((m) => m.includes('measure qemu-tcg.512mib@1'))).toHaveLength(3);
    // Both instances of both targets were disposed; nothing is left running or paused.
    expect(r.events.filter((e) => e.startsWith('dispose'))).toHaveLength(4);
    expect([...r.states.values()].every((s) => s === 'gone')).toBe(true);
    expect(r.cells.map((c) => [c.target, c.status, c.measured])).toEqual([
      ['qemu-tcg.512mib', 'completed', 4],
      ['qemu-tcg.513mib', 'completed', 4],
    ]);
    expect(r.samples.every((s) => typeof meta(s).resumeMs === 'number')).toBe(true);
    // The run view's states (progress events): booting, then live; while one measures the
    // other is paused; every target closed at the end.
    const seen = r.progressStates.filter((s) => Object.keys(s).length > 0);
    expect(seen[0]).toEqual({ 'qemu-tcg.512mib': 'booting' });
    const measuring = seen.filter((s) => Object.values(s).includes('measuring'));
    expect(measuring.length).toBeGreaterThan(0);
    for (const s of measuring.filter((x) => Object.keys(x).length === 2))
      expect(Object.values(s).sort()).toEqual(['measuring', 'paused']);
    expect(seen.at(-1)).toEqual({ 'qemu-tcg.512mib': 'closed', 'qemu-tcg.513mib': 'closed' });
  });

  it('sequential with instances: each target instance after instance, no rounds', async () => {
    const r = await run({ order: 'sequential', instances: 2, count: 3 });
    expect(r.design).toEqual({ order: 'sequential', instances: 2 });
    expect(r.samples.map((s) => [s.target, s.rep, s.meta.instance, s.meta.round])).toEqual([
      ['qemu-tcg.512mib', 1, 1, undefined],
      ['qemu-tcg.512mib', 2, 1, undefined],
      ['qemu-tcg.512mib', 3, 2, undefined],
      ['qemu-tcg.513mib', 1, 1, undefined],
      ['qemu-tcg.513mib', 2, 1, undefined],
      ['qemu-tcg.513mib', 3, 2, undefined],
    ]);
    expect(r.events.filter((e) => e.startsWith('dispose'))).toHaveLength(4);
    expect(r.cells.every((c) => c.status === 'completed' && c.measured === 3)).toBe(true);
  });

  it('a host without room for both guests at once: interleaved in groups, recorded, never both live', async () => {
    // 1000 MiB available: 512 + 513 MiB do not fit together, each alone does.
    const small = smallHost();
    const r = await run({ order: 'interleaved', instances: 1, count: 2, warmup: 0 }, small);
    expect(r.fin.status).toBe('completed');
    expect(r.design.groups).toEqual([['qemu-tcg.512mib'], ['qemu-tcg.513mib']]);
    // Group 1 measures rounds 1–2, group 2 rounds 3–4: no round pairs the two.
    expect(r.samples.map((s) => [s.target, s.meta.group, s.meta.round])).toEqual([
      ['qemu-tcg.512mib', 1, 1],
      ['qemu-tcg.512mib', 1, 2],
      ['qemu-tcg.513mib', 2, 3],
      ['qemu-tcg.513mib', 2, 4],
    ]);
    // The first guest is disposed before the second boots.
    expect(r.events.indexOf('dispose qemu-tcg.512mib@1')).toBeLessThan(
      r.events.findIndex((e) => e.includes('qemu-tcg.513mib@')),
    );
  });
});
