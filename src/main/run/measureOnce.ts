/**
 * Measuring once: one repetition of a cell on its live target — the next warmup (discarded)
 * while any are due, else a measured repetition recorded as a sample, counted in the cell's
 * lasting state (cellState.ts) and judged by the adaptive stop rule. stepCell is what a
 * schedule (schedule.ts) calls: it measures once, or ends the cell when it has nothing left.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ResolvedBenchmark } from '../../shared/config';
import { CONSOLE_INPUT_META_KEY } from '../../shared/findings/consoleInput';
import type { AdaptiveRule, StopDecision } from '../../shared/stats/adaptive';
import type { BenchmarkRunner, RepetitionOutcome } from '../benchmarks/types';
import type { PlatformSession } from '../platforms/platform';
import type { ActiveRun } from './activeRun';
import { measuredSample } from './cells';
import { settleCell } from './cellEnd';
import type { CellState } from './cellState';
import type { Clock } from './clock';
import type { HostCpuSampler } from '../host/hostCpuSampler';
import type { LiveTarget } from './liveTarget';
import { runGuardedRepetition } from './repetitionGuard';
import { sampleMeta } from './sampleMeta';

/** decideStop from src/shared/stats/adaptive.ts. */
export type DecideStop = (
  values: number[],
  elapsedSeconds: number,
  rule: AdaptiveRule,
) => StopDecision;

export interface CellDeps {
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  decideStop?: DecideStop;
  clock: Clock;
  /** The host's CPU split during each measured repetition, into the sample's meta.hostCpu. */
  hostCpu?: HostCpuSampler;
}

/** Runs one repetition with the runner's own guard on top of the platform's timeout. */
function repetition(
  deps: CellDeps,
  run: ActiveRun,
  session: PlatformSession,
  bench: ResolvedBenchmark,
): Promise<RepetitionOutcome> {
  return runGuardedRepetition({
    runner: deps.runners[bench.id],
    session,
    bench,
    timeoutSeconds: run.config.timeouts.repetitionSeconds,
    runSignal: run.abort.signal,
  });
}

/** How the log names the cell's target. */
function whereOf(run: ActiveRun, state: CellState): string {
  const { platform, target } = state.cell;
  return target === platform ? platform : run.targetLabel(target);
}

async function warmupOnce(
  deps: CellDeps,
  run: ActiveRun,
  live: LiveTarget,
  state: CellState,
): Promise<void> {
  const { platform, target, benchmark: bench } = state.cell;
  const def = CATALOGUE[bench.id];
  const unit = def.metrics.find((m) => m.key === def.mainMetric)?.unit ?? '';
  const w = ++state.warmupsDone;
  run.emitProgress({ platform, target, benchmark: bench.id, rep: w, warmup: true });
  const out = await repetition(deps, run, live.session, bench);
  if (run.cancelled) return;
  run.progress.repDone(target, bench.id, out.error ? null : out.durationMs);
  const v = out.metrics[def.mainMetric];
  run.log(
    out.error ? 'warn' : 'info',
    `warmup ${w}/${state.warmups} ${bench.id} on ${whereOf(run, state)}: ${out.error ? `failed: ${out.error}` : `${v ?? '?'} ${unit} (discarded)`}`,
    platform,
  );
}

async function measuredOnce(
  deps: CellDeps,
  run: ActiveRun,
  live: LiveTarget,
  state: CellState,
): Promise<void> {
  const { platform, target, benchmark: bench } = state.cell;
  const rep = state.repBase + state.measured + 1;
  run.emitProgress({ platform, target, benchmark: bench.id, rep, warmup: false });
  if (run.cancelled) return;
  const startedAt = deps.clock.now().toISOString();
  const containerId = live.meta.containerId;
  const probe = deps.hostCpu?.begin({
    containerId: typeof containerId === 'string' ? containerId : undefined,
    targetPids: live.session.processes?.() ?? [],
  });
  run.consoleInput.begin(target);
  const out = await repetition(deps, run, live.session, bench);
  const typed = run.consoleInput.end(target);
  if (run.cancelled) return; // a killed repetition measured nothing
  const hostCpu = probe ? { hostCpu: probe.end() ?? 'unknown' } : {};
  const input = typed ? { [CONSOLE_INPUT_META_KEY]: typed } : {};
  // Facts read again after every repetition (QMP query-kvm with every sample, not once per boot).
  const repMeta = { ...(await sampleMeta(live.session, live.meta)), ...hostCpu, ...input };
  const sample = measuredSample(
    { runId: run.runId, platform, target, bench, rep, startedAt },
    out,
    repMeta,
  );
  run.record(sample);
  state.addMeasured(sample.error === undefined ? sample.value : null, out.durationMs);
  run.progress.repDone(target, bench.id, sample.error === undefined ? out.durationMs : null);
  if (sample.error !== undefined)
    run.log(
      'error',
      `${bench.id} rep ${rep} on ${whereOf(run, state)} failed: ${sample.error}`,
      platform,
    );
  // An interleaved run's adaptive cells stop by whole rounds: the schedule decides (roundStop.ts).
  if (state.adaptive && !state.pairedByRound && deps.decideStop)
    state.applyDecision(deps.decideStop(state.values, state.elapsedSeconds, state.rule));
  run.emitProgress(null);
}

/** One repetition of the cell (the next warmup first); the cell's state is updated. */
export async function measureOnce(
  deps: CellDeps,
  run: ActiveRun,
  live: LiveTarget,
  state: CellState,
): Promise<void> {
  state.started = true;
  if (state.next() === 'warmup') await warmupOnce(deps, run, live, state);
  else await measuredOnce(deps, run, live, state);
}

/**
 * What a schedule calls for a cell: measures once and returns true, or — when the run was
 * cancelled, the target died or the cell needs nothing more — ends the cell and returns false.
 */
export async function stepCell(
  deps: CellDeps,
  run: ActiveRun,
  live: LiveTarget,
  state: CellState,
): Promise<boolean> {
  if (state.ended) return false;
  const dead = live.dead();
  if (run.cancelled || dead !== null || state.next() === null) {
    settleCell(deps.clock, run, state, dead);
    return false;
  }
  await measureOnce(deps, run, live, state);
  return true;
}
