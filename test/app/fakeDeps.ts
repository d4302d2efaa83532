/** A fake engine for service and server tests: runs are driven by the test. */
import type { RunDetail } from '../../src/shared/api';
import type { ExperimentConfig } from '../../src/shared/config';
import type { PlatformId } from '../../src/shared/platforms';
import type { RunListItem } from '../../src/shared/run';
import type { RunObserver, ServiceDeps } from '../../src/main/api/serviceDeps';

export interface FakeRun {
  runId: string;
  observer: RunObserver;
  config: ExperimentConfig;
  cancelled: boolean;
  writes: { platform: PlatformId; data: string }[];
}

export function fakeDeps(): ServiceDeps & { runs: FakeRun[]; items: RunListItem[] } {
  const runs: FakeRun[] = [];
  const items: RunListItem[] = [];
  return {
    runs,
    items,
    version: '9.9.9',
    runsDir: '/nowhere',
    exportsDir: '/nowhere/exports',
    uploadsDir: '/nowhere/uploads',
    host: { cpuModel: 'Test CPU', cores: 2, memoryMiB: 1024 },
    doctor: async () => ({ checkedAt: new Date(0).toISOString(), platforms: [] }),
    preview: async (config) => ({
      commands: [],
      estimatedSeconds: 1,
      repetitionsTotal: config.repetitions.count,
      notes: [],
    }),
    startRun: async (config, observer) => {
      const run: FakeRun = {
        runId: `run-${runs.length + 1}`,
        observer,
        config,
        cancelled: false,
        writes: [],
      };
      runs.push(run);
      return {
        runId: run.runId,
        dir: `/nowhere/${run.runId}`,
        platforms: config.platforms,
        cancel: () => {
          run.cancelled = true;
        },
        write: (platform, data) => {
          run.writes.push({ platform, data });
          return true;
        },
      };
    },
    listRuns: async () => items,
    getRun: async (runId): Promise<RunDetail | null> => {
      const item = items.find((i) => i.runId === runId);
      return item ? { item, experiment: {}, environment: {}, samples: [] } : null;
    },
    deleteRun: async (runId) => {
      const i = items.findIndex((x) => x.runId === runId);
      if (i < 0) return false;
      items.splice(i, 1);
      return true;
    },
  };
}

export const NATIVE_CONFIG = {
  platforms: ['native'],
  benchmarks: ['linpack'],
  repetitions: { count: 2 },
};
