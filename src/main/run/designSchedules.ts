/**
 * The run designs of issue 19 as Schedules (schedule.ts): interleaved rounds (RMIT) and
 * sequential order with several instances per target. Both nest the repetitions within
 * instances: a cell's measured repetitions are shared out over the instances (instanceQuotas),
 * and between instances every target is disposed and prepared afresh.
 *
 * Interleaved: instance by instance, every target is opened (and paused) first; then per
 * benchmark, its warmups per target (first instance only), then rounds: each round resumes,
 * measures once and pauses every target that still needs the benchmark, in the order
 * roundOrder(seed, benchmark, round) gives. Each sample's meta records order, seed, round,
 * position, instance and the untimed resume / pause durations around it.
 */
import type { ExperimentConfig } from '../../shared/config';
import { instancesFor } from '../../shared/runDesign';
import { newSeed, roundOrder } from '../../shared/roundOrder';
import type { Target } from '../../shared/targets';
import type { CellState } from './cellState';
import type { LiveTarget, TargetWork } from './liveTarget';
import type { Schedule, ScheduleOps } from './schedule';

/** Measured repetitions per instance: `total` shared out, the first instances taking the rest. */
export function instanceQuotas(total: number, instances: number): number[] {
  const k = Math.max(1, Math.min(instances, total));
  return Array.from({ length: k }, (_, i) => Math.floor(total / k) + (i < total % k ? 1 : 0));
}

/** How long an optional session step took (ms), null when the session has none. */
async function timed(step: (() => Promise<void>) | undefined): Promise<number | null> {
  if (!step) return null;
  const started = performance.now();
  await step();
  return performance.now() - started;
}

/** The live target with extra facts for the samples of the next step. */
function withMeta(live: LiveTarget, extra: Record<string, unknown>): LiveTarget {
  return { ...live, meta: { ...live.meta, ...extra } };
}

/** Disposes an instance without ending its cells (the next instance carries them on). */
function closeInstance(ops: ScheduleOps, live: LiveTarget, w: TargetWork): Promise<void> {
  return ops.close(live, { ...w, cells: [] });
}

/** Ends every cell of the work: the run's last instance closes with them. */
async function closeAll(
  ops: ScheduleOps,
  open: readonly { live: LiveTarget; work: TargetWork }[],
  last: boolean,
): Promise<void> {
  for (const o of open)
    await (last ? ops.close(o.live, o.work) : closeInstance(ops, o.live, o.work));
}

/**
 * Where a schedule's numbering starts: 0 for a new run; the last round and instance recorded
 * when a finished run gets more repetitions (runExtension.ts).
 */
export interface NumberingStart {
  round: number;
  instance: number;
}

const FROM_ZERO: NumberingStart = { round: 0, instance: 0 };

/** Sequential order, instance after instance per target (instances = 1: today's order). */
export function sequentialInstancesSchedule(
  instances: number,
  from: NumberingStart = FROM_ZERO,
): Schedule {
  return {
    name: 'sequential',
    async run(work, ops) {
      for (const w of work) {
        const quotas = instanceQuotas(Math.max(...w.cells.map((c) => c.planned), 1), instances);
        for (let k = 0; k < quotas.length; k++) {
          if (ops.cancelled()) break;
          const live = await ops.open(w);
          if (live === null) break;
          const last = k === quotas.length - 1;
          const step = withMeta(live, { order: 'sequential', instance: from.instance + k + 1 });
          try {
            for (const cell of w.cells) {
              if (last) while (await ops.step(step, cell));
              else
                for (let i = 0; i < (quotas[k] as number) + pendingWarmups(cell); i++)
                  if (!(await ops.step(step, cell))) break;
            }
          } finally {
            await (last ? ops.close(live, w) : closeInstance(ops, live, w));
          }
        }
        if (ops.cancelled()) ops.skip(w);
      }
    },
  };
}

function pendingWarmups(cell: CellState): number {
  return Math.max(0, cell.warmups - cell.warmupsDone);
}

interface Open {
  live: LiveTarget;
  work: TargetWork;
  /** ms of the pause that ended this target's last repetition. */
  lastPauseMs: number | null;
}

/**
 * Interleaved rounds in a random order from `seed`, `instances` instances per target. With
 * `groups` (target ids; roomForAll.ts: the host cannot hold every target at once) each group is
 * interleaved on its own, one group after another, the round numbers running on.
 */
export function interleavedSchedule(
  seed: number,
  instances: number,
  from: NumberingStart = FROM_ZERO,
  groups: readonly (readonly string[])[] | null = null,
): Schedule {
  return {
    name: 'interleaved',
    async run(work, ops) {
      const counter = { round: from.round };
      const parts = groups
        ? groups.map((ids) => work.filter((w) => ids.includes(w.target.id)))
        : [work];
      for (const [g, part] of parts.entries()) {
        if (ops.cancelled()) break;
        const group: Record<string, number> = groups ? { group: g + 1 } : {};
        await interleaveGroup(part, ops, { seed, instances, from, counter, group });
      }
      for (const w of work) if (w.cells.some((c) => !c.ended)) ops.skip(w);
    },
  };
}

interface GroupRun {
  seed: number;
  instances: number;
  /** Where the instance numbers start (a run extended with more repetitions numbers on). */
  from: NumberingStart;
  /** The round number, running on across groups. */
  counter: { round: number };
  /** Extra meta of the group's samples ({group: n} when the run has groups). */
  group: Record<string, number>;
}

/** Interleaved rounds of targets that are live together, instance by instance. */
async function interleaveGroup(
  work: readonly TargetWork[],
  ops: ScheduleOps,
  run: GroupRun,
): Promise<void> {
  const benchmarks = [...new Set(work.flatMap((w) => w.cells.map((c) => c.cell.benchmark.id)))];
  const planned = Math.max(1, ...work.flatMap((w) => w.cells.map((c) => c.planned)));
  const quotas = instanceQuotas(planned, run.instances);
  for (let k = 0; k < quotas.length && !ops.cancelled(); k++) {
    const last = k === quotas.length - 1;
    const open = await openAll(work, ops);
    try {
      for (const benchmark of benchmarks) {
        const cellOf = (o: Open) => o.work.cells.find((c) => c.cell.benchmark.id === benchmark);
        if (k === 0) await warmups(open, cellOf, ops);
        for (let r = 0; r < (last ? Infinity : (quotas[k] as number)); r++) {
          const due = open.filter((o) => cellOf(o)?.next() === 'measure' && !o.live.dead());
          if (due.length === 0 || ops.cancelled()) break;
          const round = ++run.counter.round;
          const order = roundOrder(run.seed, benchmark, round, due);
          for (const [i, o] of order.entries()) {
            if (ops.cancelled()) break;
            const resumeMs = await resumeQuietly(o.live);
            const meta = {
              order: 'interleaved',
              seed: run.seed,
              round,
              position: i + 1,
              instance: run.from.instance + k + 1,
              ...run.group,
              ...(resumeMs !== null ? { resumeMs } : {}),
              ...(o.lastPauseMs !== null ? { pauseMs: o.lastPauseMs } : {}),
            };
            await ops.step(withMeta(o.live, meta), cellOf(o) as CellState);
            o.lastPauseMs = await pauseQuietly(o.live);
          }
        }
      }
    } finally {
      await closeAll(ops, open, last || ops.cancelled());
    }
  }
}

/** Opens every target (those that fail end their cells), each paused once it is up. */
async function openAll(work: readonly TargetWork[], ops: ScheduleOps): Promise<Open[]> {
  const open: Open[] = [];
  for (const w of work) {
    if (ops.cancelled()) break;
    if (w.cells.every((c) => c.ended)) continue;
    const live = await ops.open(w);
    if (live === null) continue;
    open.push({ live, work: w, lastPauseMs: await pauseQuietly(live) });
  }
  return open;
}

/** Pauses a target that has a pause; a failure to pause leaves it running (never fails the run). */
async function pauseQuietly(live: LiveTarget): Promise<number | null> {
  if (live.dead()) return null;
  try {
    return await timed(live.session.pause?.bind(live.session));
  } catch {
    return null;
  }
}

/** Resumes a paused target; a failure shows in the repetition that follows (its exec fails). */
async function resumeQuietly(live: LiveTarget): Promise<number | null> {
  try {
    return await timed(live.session.resume?.bind(live.session));
  } catch {
    return null;
  }
}

/** Every target's warmups of one benchmark, before its first round. */
async function warmups(
  open: readonly Open[],
  cellOf: (o: Open) => CellState | undefined,
  ops: ScheduleOps,
): Promise<void> {
  for (const o of open) {
    const cell = cellOf(o);
    if (!cell || cell.next() !== 'warmup' || o.live.dead()) continue;
    await resumeQuietly(o.live);
    while (cell.next() === 'warmup' && !ops.cancelled()) if (!(await ops.step(o.live, cell))) break;
    o.lastPauseMs = await pauseQuietly(o.live);
  }
}

/** What experiment.json records of the design a run used. */
export interface RunDesign {
  order: 'interleaved' | 'sequential';
  instances: number;
  /** The seed every round's order follows from (interleaved only). */
  seed?: number;
  /** Target ids interleaved group after group, when the host cannot hold them all at once. */
  groups?: string[][];
}

/** The schedule for a config (its order and instances), with what the run records of it. */
export function scheduleFor(
  config: ExperimentConfig,
  targets: readonly Target[],
  seed: number = newSeed(),
  from: NumberingStart = FROM_ZERO,
  groups: string[][] | null = null,
): { schedule: Schedule; design: RunDesign } {
  const instances = instancesFor(config, targets);
  if (config.repetitions.order === 'interleaved')
    return {
      schedule: interleavedSchedule(seed, instances, from, groups),
      design: { order: 'interleaved', instances, seed, ...(groups ? { groups } : {}) },
    };
  return {
    schedule: sequentialInstancesSchedule(instances, from),
    design: { order: 'sequential', instances },
  };
}
