/**
 * One cell of the matrix (a benchmark on a platform): warmups (discarded),
 * measured repetitions (fixed count or adaptive), and the cell's record.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ResolvedBenchmark } from '../../shared/config';
import type { AdaptiveRule, StopDecision } from '../../shared/stats/adaptive';
import type { BenchmarkRunner, RepetitionOutcome } from '../benchmarks/types';
import type { PlatformSession } from '../platforms/platform';
import type { ActiveRun } from './activeRun';
import { adaptiveRule, failedSample, measuredSample, type CellRecord } from './cells';
import type { Clock } from './clock';
import type { HostCpuSampler } from './hostCpuSampler';
import type { PlannedCell } from './plan';
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

/** Records a repetition that never ran (its platform failed or died) as a failed sample. */
export function recordFailedRepetition(
  clock: Clock,
  run: ActiveRun,
  cell: PlannedCell,
  rep: number,
  reason: string,
): void {
  const startedAt = clock.now().toISOString();
  const { platform, target } = cell;
  run.record(
    failedSample(
      { runId: run.runId, platform, target, bench: cell.benchmark, rep, startedAt },
      reason,
      run.targetMeta(target),
    ),
  );
}

export async function runCell(
  deps: CellDeps,
  run: ActiveRun,
  session: PlatformSession,
  cell: PlannedCell,
  meta: Record<string, unknown>,
  dead: () => string | null,
): Promise<void> {
  const { platform, target } = cell;
  const bench = cell.benchmark;
  const where = target === platform ? platform : run.targetLabel(target);
  const def = CATALOGUE[bench.id];
  const metricDef = def.metrics.find((m) => m.key === def.mainMetric);
  const reps = run.config.repetitions;
  const adaptive = reps.adaptive.enabled;
  const rule = adaptiveRule(run.config);
  const planned = adaptive ? rule.maxRepetitions : reps.count;

  for (let w = 1; w <= reps.warmup; w++) {
    if (run.abort.signal.aborted || dead() !== null) break;
    run.emitProgress({ platform, target, benchmark: bench.id, rep: w, warmup: true });
    const out = await repetition(deps, run, session, bench);
    if (run.abort.signal.aborted) break;
    run.progress.repDone(target, bench.id, out.error ? null : out.durationMs);
    const v = out.metrics[def.mainMetric];
    run.log(
      out.error ? 'warn' : 'info',
      `warmup ${w}/${reps.warmup} ${bench.id} on ${where}: ${out.error ? `failed: ${out.error}` : `${v ?? '?'} ${metricDef?.unit ?? ''} (discarded)`}`,
      platform,
    );
  }

  const values: number[] = [];
  let measured = 0;
  let failed = 0;
  let elapsedSeconds = 0;
  let stopReason = adaptive ? '' : `fixed count of ${reps.count}`;
  for (let rep = 1; rep <= planned; rep++) {
    if (run.abort.signal.aborted) break;
    const deadReason = dead();
    if (deadReason !== null) {
      stopReason = deadReason;
      break;
    }
    run.emitProgress({ platform, target, benchmark: bench.id, rep, warmup: false });
    if (run.abort.signal.aborted) break;
    const startedAt = deps.clock.now().toISOString();
    const probe = deps.hostCpu?.begin({
      containerId: typeof meta.containerId === 'string' ? meta.containerId : undefined,
    });
    const out = await repetition(deps, run, session, bench);
    if (run.abort.signal.aborted) break; // a killed repetition measured nothing
    const hostCpu = probe ? { hostCpu: probe.end() ?? 'unknown' } : {};
    // Facts read again after every repetition (QMP query-kvm with every sample, not once per boot).
    const repMeta = { ...(await sampleMeta(session, meta)), ...hostCpu };
    const sample = measuredSample(
      { runId: run.runId, platform, target, bench, rep, startedAt },
      out,
      repMeta,
    );
    const error = sample.error;
    const value = sample.value;
    run.record(sample);
    measured++;
    elapsedSeconds += out.durationMs / 1000;
    run.progress.repDone(target, bench.id, error === undefined ? out.durationMs : null);
    if (error !== undefined) {
      failed++;
      run.log('error', `${bench.id} rep ${rep} on ${where} failed: ${error}`, platform);
    } else {
      values.push(value as number);
    }
    if (adaptive && deps.decideStop) {
      const decision = deps.decideStop(values, elapsedSeconds, rule);
      stopReason = decision.reason;
      if (decision.stop) break;
      // Failed repetitions use up the cap too: say so rather than "2 of at least 3 done".
      if (rep === planned) stopReason = `cap of ${planned} repetitions reached (${stopReason})`;
    }
    run.emitProgress(null);
  }
  if (adaptive && stopReason === '') stopReason = `cap of ${rule.maxRepetitions} reached`;

  const deadReason = dead();
  let status: CellRecord['status'];
  if (run.abort.signal.aborted) status = 'cancelled';
  else if (deadReason !== null && measured < (adaptive ? rule.minRepetitions : planned)) {
    // The platform died: the repetitions that never ran are recorded as failed samples.
    const missing = (adaptive ? rule.minRepetitions : planned) - measured;
    for (let i = 0; i < missing; i++)
      recordFailedRepetition(deps.clock, run, cell, measured + i + 1, deadReason);
    failed += missing;
    measured += missing;
    status = 'failed';
  } else status = failed === 0 ? 'completed' : failed === measured ? 'failed' : 'partial';
  run.endCell(
    cell,
    status,
    { measured, failed, warmup: reps.warmup },
    deadReason ?? undefined,
    adaptive ? { rule, stopReason } : undefined,
  );
}
