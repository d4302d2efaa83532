/**
 * The planned targets of a config as the host checks read them (every target of every
 * platform, each with all the config's benchmarks): what plan.ts gives when everything runs.
 */
import type { ExperimentConfig, ResolvedBenchmark } from '../../src/shared/config';
import { expandTargets, type Target } from '../../src/shared/targets';

export function plannedLoads(
  config: ExperimentConfig,
): { target: Target; benchmarks: readonly ResolvedBenchmark[] }[] {
  const expansion = expandTargets(config);
  if (!expansion.ok) throw new Error(expansion.message);
  return expansion.targets.map((target) => ({ target, benchmarks: config.benchmarks }));
}
