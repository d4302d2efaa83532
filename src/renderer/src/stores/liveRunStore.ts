/** The run in progress (or just finished): progress, samples, log, status. */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi } from '../../../shared/api';
import type { ExperimentConfigInput } from '../../../shared/config';
import type { PlatformId } from '../../../shared/platforms';
import type { FinishedEvent, LogEvent, ProgressEvent } from '../../../shared/run';
import type { Sample } from '../../../shared/sample';
import type { TargetInfo } from '../../../shared/targets';
import type { RunPlaces } from '../../../shared/hosts';

/** Log lines that are news about a lab host's connection (hosts/remoteRun.ts's notices). */
const CONNECTION_NEWS = /: (connection lost|reconnected|not reachable yet)\b/;

/** Log lines kept for display. */
const MAX_LOG_LINES = 500;

export interface RunState {
  runId: string | null;
  /** The run's name for people (a run over lab hosts: its experiment's and its places'). */
  name: string | null;
  dir: string | null;
  platforms: PlatformId[];
  /** Every target in run order (one console each); empty until the engine named them. */
  targets: TargetInfo[];
  status: 'idle' | 'starting' | 'running' | 'finished';
  progress: ProgressEvent | null;
  samples: Sample[];
  logs: LogEvent[];
  /** The latest news about a lab host's connection ("lab1: connection lost, …"). */
  connection: string | null;
  finished: FinishedEvent | null;
  error: string | null;
  cancelling: boolean;
  /** Set for "run N more" of a finished run: the repetitions it adds per cell. */
  addedPerCell: number | null;
  /** The review's estimate for this run (seconds), when it was started from the wizard. */
  estimatedSeconds: number | null;
  /** Local clock (ms) when the run was started here, when the last progress came, when it ended. */
  startedAtMs: number | null;
  progressAtMs: number | null;
  finishedAtMs: number | null;
  start(
    config: ExperimentConfigInput,
    platforms: PlatformId[],
    estimatedSeconds?: number | null,
    where?: RunPlaces,
  ): Promise<boolean>;
  cancel(): Promise<void>;
  /**
   * "Run N more repetitions" of a finished run (run:more): followed like a new run, its samples
   * appended to that run. Resolves to null once it started, else to the reason it was refused
   * (the state is then as it was: the run view keeps the run it showed).
   */
  runMore(runId: string, repetitions: number): Promise<string | null>;
  /** Re-attaches to a run already going on (page reload, second tab). */
  attach(): Promise<void>;
}

export type LiveRunStore = StoreApi<RunState>;

type RunData = Omit<RunState, 'start' | 'cancel' | 'attach' | 'runMore'>;

/** No run: the state at start, and what a new run starts from. */
const NO_RUN: RunData = {
  runId: null,
  name: null,
  dir: null,
  platforms: [],
  targets: [],
  status: 'idle',
  progress: null,
  samples: [],
  logs: [],
  connection: null,
  finished: null,
  error: null,
  cancelling: false,
  addedPerCell: null,
  estimatedSeconds: null,
  startedAtMs: null,
  progressAtMs: null,
  finishedAtMs: null,
};

/**
 * The state once run:start or run:more replied: the run is live, or already finished when its
 * finished event came before this reply.
 */
function startedState(
  started: { runId: string; dir: string },
  finished: RunData['finished'],
): Pick<RunData, 'runId' | 'dir' | 'status'> {
  return {
    runId: started.runId,
    dir: started.dir,
    status: finished?.runId === started.runId ? 'finished' : 'running',
  };
}

export function createLiveRunStore(api: BenchvisorApi): LiveRunStore {
  const store = createStore<RunState>()((set, get) => ({
    ...NO_RUN,

    start: async (config, platforms, estimatedSeconds = null, where) => {
      set({ ...NO_RUN, status: 'starting', platforms, estimatedSeconds, startedAtMs: Date.now() });
      const res = await api.call('run:start', { config, ...(where ? { where } : {}) });
      if (!res.ok) {
        set({ status: 'idle', error: res.error.message });
        return false;
      }
      set(startedState(res.value, get().finished));
      return true;
    },

    runMore: async (runId, repetitions) => {
      const before = get();
      if (before.status === 'starting' || before.status === 'running')
        return 'a run is in progress: wait for it or cancel it first';
      set({ ...NO_RUN, status: 'starting', addedPerCell: repetitions, startedAtMs: Date.now() });
      const res = await api.call('run:more', { runId, repetitions });
      if (!res.ok) {
        set({ ...before });
        return res.error.message;
      }
      set(startedState(res.value, get().finished));
      return null;
    },

    cancel: async () => {
      const runId = get().runId;
      if (!runId) return;
      set({ cancelling: true });
      await api.call('run:cancel', { runId });
    },

    attach: async () => {
      const res = await api.call('run:active', {});
      if (res.ok && res.value.runId) {
        set({
          runId: res.value.runId,
          name: res.value.name ?? null,
          platforms: res.value.platforms,
          targets: res.value.targets ?? [],
          status: 'running',
          finished: null,
        });
      }
    },
  }));

  api.on('run:started', (e) => {
    const s = store.getState();
    const started = {
      runId: e.runId,
      name: e.name,
      dir: e.dir,
      platforms: e.platforms,
      targets: e.targets ?? [],
    };
    if (s.status === 'starting' && s.runId === null) {
      store.setState(started);
    } else if (s.runId !== e.runId) {
      // Started elsewhere (another window, tab or a benchmark script): follow it.
      store.setState({
        ...started,
        addedPerCell: e.more ?? null,
        status: 'running',
        progress: null,
        samples: [],
        logs: [],
        finished: null,
        error: null,
        cancelling: false,
        connection: null,
      });
    } else {
      // The reply to run:start came first: the event still names the run.
      store.setState({ name: e.name });
    }
  });
  const mine = (runId: string): boolean => {
    const s = store.getState();
    return s.runId === runId || (s.status === 'starting' && s.runId === null);
  };
  api.on('run:progress', (e) => {
    if (mine(e.runId)) store.setState({ progress: e, progressAtMs: Date.now() });
  });
  api.on('run:sample', (sample) => {
    if (mine(sample.runId)) store.setState((s) => ({ samples: [...s.samples, sample] }));
  });
  api.on('run:log', (e) => {
    if (!mine(e.runId)) return;
    store.setState((s) => ({ logs: [...s.logs, e].slice(-MAX_LOG_LINES) }));
    if (CONNECTION_NEWS.test(e.message)) store.setState({ connection: e.message });
  });
  api.on('run:finished', (e) => {
    if (!mine(e.runId)) return;
    const s = store.getState();
    store.setState({
      finished: e,
      finishedAtMs: Date.now(),
      status: s.runId === null ? s.status : 'finished',
      cancelling: false,
    });
  });
  return store;
}
