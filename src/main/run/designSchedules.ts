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
 * position, instance and the untimed resume / pause durations around it. Adaptive cells of a
 * benchmark with two targets or more stop by whole rounds, all together, when every paired
 * comparison reaches the target (stats/roundStop.ts), instance by instance.
 */
import type { ExperimentConfig } from '../../shared/config';
import { instancesFor } from '../../shared/runDesign';
import { newSeed, roundOrder } from '../../shared/roundOrder';
import type { AdaptiveRule } from '../../shared/stats/adaptive';
import type { Observation } from '../../shared/stats/paired';
import { comparedPairs, decideRoundStop, type RoundPair } from '../../shared/stats/roundStop';
import type { Target } from '../../shared/targets';
import type { CellState } from './cellState';
import type { TargetWork } from './liveTarget';
import type { Schedule, ScheduleOps } from './schedule';
import {
  closeAll,
  closeInstance,
  openAll,
  pauseQuietly,
  resumeQuietly,
  warmups,
  withMeta,
  type Open,
} from './liveTargetSteps';

/** Measured repetitions per instance: `total` shared out, the first instances taking the rest. */
export function instanceQuotas(total: number, instances: number): number[] {
  const k = Math.max(1, Math.min(instances, total));
  return Array.from({ length: k }, (_, i) => Math.floor(total / k) + (i < total % k ? 1 : 0));
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

/** What one round of a benchmark needs beyond its targets. */
interface RoundContext {
  ops: ScheduleOps;
  run: GroupRun;
  benchmark: string;
  /** The instance (from 1 within this schedule). */
  instance: number;
  cellOf: (o: Open) => CellState | undefined;
}

/** The targets that still need a measured repetition of the benchmark. */
function dueTargets(open: readonly Open[], ctx: RoundContext): Open[] {
  return open.filter((o) => ctx.cellOf(o)?.next() === 'measure' && !o.live.dead());
}

/**
 * One round: every due target resumed, measured once and paused, in the seeded order. Returns
 * each target's value of the round (absent when its repetition failed).
 */
async function measureRound(due: readonly Open[], ctx: RoundContext): Promise<Map<Open, number>> {
  const { run, ops } = ctx;
  const round = ++run.counter.round;
  const order = roundOrder(run.seed, ctx.benchmark, round, due);
  const values = new Map<Open, number>();
  for (const [i, o] of order.entries()) {
    if (ops.cancelled()) break;
    const cell = ctx.cellOf(o) as CellState;
    const before = cell.values.length;
    const resumeMs = await resumeQuietly(o.live);
    const meta = {
      order: 'interleaved',
      seed: run.seed,
      round,
      position: i + 1,
      instance: run.from.instance + ctx.instance,
      ...run.group,
      ...(resumeMs !== null ? { resumeMs } : {}),
      ...(o.lastPauseMs !== null ? { pauseMs: o.lastPauseMs } : {}),
    };
    await ops.step(withMeta(o.live, meta), cell);
    o.lastPauseMs = await pauseQuietly(o.live, ops);
    if (cell.values.length > before) values.set(o, cell.values.at(-1) as number);
  }
  return values;
}

/** A fixed number of rounds (Infinity: until the cells are done by their counts). */
async function fixedRounds(
  open: readonly Open[],
  ctx: RoundContext,
  rounds: number,
): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const due = dueTargets(open, ctx);
    if (due.length === 0 || ctx.ops.cancelled()) break;
    await measureRound(due, ctx);
  }
}

/** Bounds of an adaptive instance's rounds and the words its cells record. */
interface AdaptiveInstance {
  rule: AdaptiveRule;
  pairs: readonly RoundPair[];
  /** The run's last instance: a stop ends the cells; before it, the next instance goes on. */
  last: boolean;
  /** The reasons of the earlier instances of this benchmark (several instances). */
  earlier: string[];
  several: boolean;
}

/**
 * Adaptive rounds of one instance (stats/roundStop.ts): whole rounds until every paired
 * comparison of the benchmark within this instance reaches the target or the instance's share
 * of the cap is used; then every cell of the benchmark stops together (in the last instance).
 */
async function adaptiveRounds(
  open: readonly Open[],
  ctx: RoundContext,
  a: AdaptiveInstance,
): Promise<void> {
  const seen = new Map<string, Observation[]>();
  for (let rounds = 1; ; rounds++) {
    const due = dueTargets(open, ctx);
    if (due.length === 0 || ctx.ops.cancelled()) return;
    const values = await measureRound(due, ctx);
    if (ctx.ops.cancelled()) return;
    for (const o of due) {
      const list = seen.get(o.work.target.id) ?? [];
      const v = values.get(o);
      if (v !== undefined)
        list.push({ value: v, round: ctx.run.counter.round, instance: ctx.instance });
      seen.set(o.work.target.id, list);
    }
    const cells = open
      .filter((o) => !o.live.dead())
      .map((o) => ctx.cellOf(o))
      .filter((c): c is CellState => !!c && !c.ended);
    const live = new Map([...seen].filter(([id]) => cells.some((c) => c.cell.target === id)));
    const elapsedSeconds = Math.min(...cells.map((c) => c.elapsedSeconds));
    const d = decideRoundStop(
      { observations: live, pairs: a.pairs, rounds, elapsedSeconds },
      a.rule,
    );
    const part = a.several
      ? `instance ${ctx.run.from.instance + ctx.instance}: ${d.reason}`
      : d.reason;
    const reason = [...a.earlier, part].join('; ');
    for (const c of cells) c.applyRoundDecision(reason, d.stop && a.last);
    if (d.stop) {
      a.earlier.push(part);
      return;
    }
  }
}

/**
 * The targets whose cells of the benchmark stop by whole rounds: adaptive cells of a benchmark
 * with two targets or more (a lone cell keeps its own rule: it has nothing to be paired with);
 * empty when the counts are fixed. Marks their cells so measureOnce leaves the decision here.
 */
function pairedTargets(open: readonly Open[], cellOf: (o: Open) => CellState | undefined): Open[] {
  const mine = open.filter((o) => cellOf(o)?.adaptive);
  const paired = mine.length >= 2 || mine.some((o) => cellOf(o)?.pairedByRound);
  if (!paired) return [];
  for (const o of mine) (cellOf(o) as CellState).pairedByRound = true;
  return mine;
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
  const rule = work.flatMap((w) => w.cells).find((c) => c.adaptive)?.rule;
  const minShares = rule ? instanceQuotas(rule.minRepetitions, quotas.length) : [];
  const earlier = new Map(benchmarks.map((b) => [b, [] as string[]]));
  for (let k = 0; k < quotas.length && !ops.cancelled(); k++) {
    const last = k === quotas.length - 1;
    const open = await openAll(work, ops);
    try {
      for (const benchmark of benchmarks) {
        const cellOf = (o: Open) => o.work.cells.find((c) => c.cell.benchmark.id === benchmark);
        const ctx: RoundContext = { ops, run, benchmark, instance: k + 1, cellOf };
        if (k === 0) await warmups(open, cellOf, ops);
        const paired = pairedTargets(open, cellOf);
        if (!rule || paired.length === 0)
          await fixedRounds(open, ctx, last ? Infinity : (quotas[k] as number));
        else {
          const targets = paired.map((o) => o.work.target);
          await adaptiveRounds(open, ctx, {
            rule: {
              ...rule,
              minRepetitions: minShares[k] ?? 0,
              maxRepetitions: quotas[k] as number,
            },
            pairs: comparedPairs(targets),
            last,
            earlier: earlier.get(benchmark) as string[],
            several: quotas.length > 1,
          });
        }
      }
    } finally {
      await closeAll(ops, open, last || ops.cancelled());
    }
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
