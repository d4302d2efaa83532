/**
 * The engine's sweep of what crashed earlier runs left (platform.sweepOrphans: labelled Docker
 * containers and volumes, native services of a killed CLI, dead guests' work folders), one line
 * per thing removed or per problem. Each platform's sweep is bounded: it runs before a run is
 * planned, so one that never ends (a wedged Docker daemon) would hang every run's start.
 */
import type { Platform } from '../platforms/platform';
import { answerWithin } from '../util/deadline';

/** How long one platform's whole sweep may take before the run goes on without it. */
export const ORPHAN_SWEEP_TIMEOUT_MS = 60_000;

export interface SweepOutcome {
  /** "docker: removed X", one per thing removed. */
  removed: string[];
  /** "docker: orphan sweep failed: …", "docker: the Docker daemon did not answer removing X …". */
  problems: string[];
}

export async function sweepPlatforms(
  platforms: Platform[],
  timeoutMs = ORPHAN_SWEEP_TIMEOUT_MS,
): Promise<SweepOutcome> {
  const outcomes = await Promise.all(
    platforms.map(async (p): Promise<SweepOutcome> => {
      if (!p.sweepOrphans) return { removed: [], problems: [] };
      try {
        const r = await answerWithin(p.sweepOrphans(), timeoutMs, `${p.id}'s orphan sweep`);
        return {
          removed: [...r.containers, ...r.volumes, ...(r.processes ?? [])].map(
            (name) => `${p.id}: removed ${name}`,
          ),
          problems: (r.problems ?? []).map((problem) => `${p.id}: ${problem}`),
        };
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return { removed: [], problems: [`${p.id}: orphan sweep failed: ${why}`] };
      }
    }),
  );
  return {
    removed: outcomes.flatMap((o) => o.removed),
    problems: outcomes.flatMap((o) => o.problems),
  };
}
