/**
 * Plans a run before anything starts: its targets (the config's variants expanded), which
 * target × benchmark cells can run here, and the host preflight (room for every target at
 * once, else groups that fit). A config that cannot run here is refused with the reason.
 */
import type { ExperimentConfig } from '../../shared/config';
import { err, ok, type Result } from '../../shared/result';
import { expandTargets, type Target } from '../../shared/targets';
import { hostPlan, type HostPlan } from '../host/roomForAll';
import { describeSkips, planExperiment, type ExperimentPlan } from './plan';
import type { ExperimentRunnerDeps } from './runnerDeps';

export interface PlannedRun {
  targets: Target[];
  plan: ExperimentPlan;
  host: HostPlan;
}

/** Targets, plan and host preflight of a config: an error when it cannot run here. */
export async function planRun(
  deps: Pick<ExperimentRunnerDeps, 'platforms' | 'runners' | 'hostCapacity' | 'store'>,
  config: ExperimentConfig,
  parentDir?: string,
): Promise<Result<PlannedRun>> {
  const expansion = expandTargets(config);
  if (!expansion.ok) return err('INVALID_CONFIG', expansion.message);
  const plan = await planExperiment(config, expansion.targets, deps.platforms, deps.runners);
  const unavailable = plan.skipped.filter((s) => s.kind === 'unavailable');
  if (unavailable.length > 0 && !config.skipUnavailable) {
    return err(
      'UNAVAILABLE',
      `cannot run here:\n${describeSkips(unavailable)}\n(set "skipUnavailable": true or pass --skip-unavailable to run the rest)`,
      { skipped: unavailable },
    );
  }
  if (plan.targets.length === 0) {
    return err('UNAVAILABLE', `nothing to run:\n${describeSkips(plan.skipped)}`, {
      skipped: plan.skipped,
    });
  }
  const host = deps.hostCapacity
    ? hostPlan(
        config,
        plan.targets.map((p) => ({
          target: p.target,
          benchmarks: p.cells.map((c) => c.benchmark),
        })),
        deps.hostCapacity(),
        parentDir ?? deps.store.runsDir,
      )
    : ok({ overcommit: [], groups: null });
  if (!host.ok) return host;
  return ok({ targets: expansion.targets, plan, host: host.value });
}
