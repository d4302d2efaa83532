/**
 * From a plan to the run's work: what the run records before its first target starts (the
 * vCPU overcommits the config allowed, the skipped cells) and every planned target's cells with
 * their lasting state, registered with the progress tracker. The plan is per target already
 * (plan.ts): each planned target becomes its work as it is.
 */
import type { Target } from '../../shared/targets';
import type { ActiveRun } from './activeRun';
import { CellState } from './cellState';
import type { VcpuOvercommit } from '../host/hostLimits';
import type { TargetWork } from './liveTarget';
import type { ExperimentPlan, Skip } from './plan';

/** VMs the config let have more vCPUs than the host has CPUs: experiment.json and the log. */
export function recordOvercommit(run: ActiveRun, overcommit: readonly VcpuOvercommit[]): void {
  if (overcommit.length === 0) return;
  run.writer.updateExperiment({ overcommit: [...overcommit] });
  for (const o of overcommit)
    run.log(
      'warn',
      `${o.target ?? o.platform}: ${o.vcpus} vCPUs on a host with ${o.hostCpus} CPUs (allowOvercommit): its vCPUs share CPUs`,
      o.platform,
    );
}

/** The skipped platforms and cells: experiment.json, and one skipped cell per target and benchmark. */
export function recordSkipped(
  run: ActiveRun,
  skipped: readonly Skip[],
  targets: readonly Target[],
): void {
  run.writer.updateExperiment({
    skipped: skipped.map((s) => ({
      platform: s.platform,
      ...(s.benchmark ? { benchmark: s.benchmark } : {}),
      reason: s.reason,
    })),
  });
  // A platform skipped as a whole skips every benchmark of the config: one cell each.
  for (const s of skipped) {
    const benchmarks = s.benchmark ? [s.benchmark] : run.config.benchmarks.map((b) => b.id);
    for (const benchmark of benchmarks)
      for (const t of targets.filter((x) => x.platform === s.platform))
        run.cells.push({
          platform: s.platform,
          target: t.id,
          benchmark,
          status: 'skipped',
          measured: 0,
          failed: 0,
          warmup: 0,
          reason: s.reason,
        });
  }
}

/** Each planned target with its cells' lasting state, counted in progress. */
export function targetWork(run: ActiveRun, plan: ExperimentPlan): TargetWork[] {
  const reps = run.config.repetitions;
  const measured = reps.adaptive.enabled ? reps.adaptive.maxRepetitions : reps.count;
  const work = plan.targets.map(({ platform, target, cells }) => ({
    platform,
    target,
    cells: cells.map((c) => new CellState(c, run.config)),
  }));
  for (const w of work)
    for (const c of w.cells)
      run.progress.add(c.cell.target, c.cell.benchmark.id, reps.warmup + measured);
  return work;
}
