/**
 * A fake engine for service and server tests: runs are driven by the test. Each fake run has
 * an `observer` that turns the test's calls into run events as an engine sends them (console
 * chunks with the byte offset of their end, counted here as the runner counts them).
 */
import { AppFailure } from '../../src/shared/result';
import type { RunDetail } from '../../src/shared/api';
import type { ExperimentConfig } from '../../src/shared/config';
import type { PlatformId } from '../../src/shared/platforms';
import type { FinishedEvent, LogEvent, ProgressEvent, RunListItem } from '../../src/shared/run';
import type { Sample } from '../../src/shared/sample';
import type { RunEventSink, ServiceDeps } from '../../src/main/api/serviceDeps';

/** What a test makes a fake run report. */
export interface FakeObserver {
  progress(e: ProgressEvent): void;
  sample(s: Sample): void;
  log(e: LogEvent): void;
  /** Console output of a target (absent: the target that is its platform). */
  console(platform: PlatformId, data: string, target?: string): void;
  finished(e: FinishedEvent): void;
}

export interface FakeRun {
  runId: string;
  observer: FakeObserver;
  config: ExperimentConfig;
  cancelled: boolean;
  writes: { platform: PlatformId; data: string }[];
  acks: { stream: string; offset: number }[];
}

function observerOf(runId: string, sink: RunEventSink): FakeObserver {
  const offsets = new Map<string, number>();
  return {
    progress: (payload) => sink({ event: 'run:progress', payload }),
    sample: (payload) => sink({ event: 'run:sample', payload }),
    log: (payload) => sink({ event: 'run:log', payload }),
    console: (platform, data, target) => {
      const stream = target ?? platform;
      const offset = (offsets.get(stream) ?? 0) + Buffer.byteLength(data, 'utf8');
      offsets.set(stream, offset);
      sink({
        event: 'console:data',
        payload: { runId, platform, ...(target ? { target } : {}), data, offset },
      });
    },
    finished: (payload) => sink({ event: 'run:finished', payload }),
  };
}

export function fakeDeps(): ServiceDeps & { runs: FakeRun[]; items: RunListItem[] } {
  const runs: FakeRun[] = [];
  const items: RunListItem[] = [];
  const byId = (runId: string) => runs.find((r) => r.runId === runId);
  return {
    runs,
    items,
    version: '9.9.9',
    runsDir: '/nowhere',
    exportsDir: '/nowhere/exports',
    uploadsDir: '/nowhere/uploads',
    host: { cpuModel: 'Test CPU', cores: 2, memoryMiB: 1024 },
    engine: {
      doctor: async () => ({ checkedAt: new Date(0).toISOString(), platforms: [] }),
      preview: async (config) => ({
        commands: [],
        estimatedSeconds: 1,
        repetitionsTotal: config.repetitions.count,
        notes: [],
      }),
      start: async (config, sink) => {
        const runId = `run-${runs.length + 1}`;
        const run: FakeRun = {
          runId,
          observer: observerOf(runId, sink),
          config,
          cancelled: false,
          writes: [],
          acks: [],
        };
        runs.push(run);
        return { runId, dir: `/nowhere/${runId}`, platforms: config.platforms };
      },
      // "Run N more": the same fake run, observed again (its config unchanged).
      more: async (runId, _repetitions, sink) => {
        const before = byId(runId);
        if (!before) throw new AppFailure('NOT_FOUND', `no run "${runId}"`);
        const run: FakeRun = { ...before, observer: observerOf(runId, sink), writes: [], acks: [] };
        runs.push(run);
        return { runId, dir: `/nowhere/${runId}`, platforms: run.config.platforms };
      },
      cancel: (runId) => {
        const run = byId(runId);
        if (run) run.cancelled = true;
        return run !== undefined;
      },
      write: (runId, platform, data) => {
        byId(runId)?.writes.push({ platform, data });
        return byId(runId) !== undefined;
      },
      ack: (runId, stream, offset) => byId(runId)?.acks.push({ stream, offset }),
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
