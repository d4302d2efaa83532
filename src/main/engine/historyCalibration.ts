/**
 * The review's estimate learns from this host's history: the most recent runs measured here
 * (imported runs and runs on a lab host were measured elsewhere and are left out) feed shared/calibration.ts.
 */
import type { RunDetail } from '../../shared/api';
import { calibrate, type Calibration, type CalibrationRun } from '../../shared/calibration';
import type { RunListItem } from '../../shared/run';

/** How many recent runs the estimate learns from (enough for medians, cheap to read). */
export const CALIBRATION_RUNS = 12;

export function historyCalibration(store: {
  list(): RunListItem[];
  get(runId: string): RunDetail;
}): Calibration {
  const recent = store
    .list()
    .filter(
      (r) => !r.imported && r.host === undefined && r.damaged === undefined && r.sampleCount > 0,
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))
    .slice(0, CALIBRATION_RUNS);
  const runs: CalibrationRun[] = [];
  for (const r of recent) {
    try {
      const d = store.get(r.runId);
      const config = (d.experiment as { config?: { profile?: unknown } } | null)?.config;
      const profile = typeof config?.profile === 'string' ? config.profile : null;
      if (profile) runs.push({ profile, samples: d.samples });
    } catch {
      // A run removed or damaged meanwhile teaches nothing.
    }
  }
  return calibrate(runs);
}
