/** Past runs (runs:list) and the run opened in the results view (runs:get). */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi, RunDetail } from '../../../shared/api';
import type { RunListItem } from '../../../shared/run';

export interface HistoryState {
  runs: RunListItem[];
  loading: boolean;
  error: string | null;
  /** The run shown in the results view. */
  detail: RunDetail | null;
  detailLoading: boolean;
  detailError: string | null;
  /** Runs the results view compares the opened run with (chosen there or in the history). */
  compareWith: string[];
  /** The compare page's two runs: the baseline (older) and the candidate (newer). */
  comparison: { baseline: RunDetail; candidate: RunDetail } | null;
  comparisonLoading: boolean;
  comparisonError: string | null;
  refresh(): Promise<void>;
  /** Opens the compare page for two runs: the older is the baseline, the newer the candidate. */
  openComparison(runA: string, runB: string): Promise<void>;
  /** Swaps baseline and candidate. */
  swapComparison(): void;
  /** Opens a run in the results view, optionally compared with other runs. */
  open(runId: string, compareWith?: string[]): Promise<void>;
  setCompareWith(runIds: string[]): void;
  /** Deletes a run; resolves to the error message, or null when it was deleted. */
  remove(runId: string): Promise<string | null>;
}

export type HistoryStore = StoreApi<HistoryState>;

export function createHistoryStore(api: BenchvisorApi): HistoryStore {
  return createStore<HistoryState>()((set, get) => ({
    runs: [],
    loading: false,
    error: null,
    detail: null,
    detailLoading: false,
    detailError: null,
    compareWith: [],
    comparison: null,
    comparisonLoading: false,
    comparisonError: null,
    openComparison: async (runA, runB) => {
      set({ comparisonLoading: true, comparisonError: null });
      const [a, b] = await Promise.all([
        api.call('runs:get', { runId: runA }),
        api.call('runs:get', { runId: runB }),
      ]);
      if (!a.ok || !b.ok) {
        const failed = !a.ok ? a : !b.ok ? b : null;
        set({
          comparison: null,
          comparisonLoading: false,
          comparisonError: failed && !failed.ok ? failed.error.message : 'cannot read the runs',
        });
        return;
      }
      const older = a.value.item.startedAt <= b.value.item.startedAt;
      set({
        comparison: older
          ? { baseline: a.value, candidate: b.value }
          : { baseline: b.value, candidate: a.value },
        comparisonLoading: false,
      });
    },
    swapComparison: () => {
      const c = get().comparison;
      if (c) set({ comparison: { baseline: c.candidate, candidate: c.baseline } });
    },
    refresh: async () => {
      set({ loading: true, error: null });
      const res = await api.call('runs:list', {});
      if (res.ok) set({ runs: res.value, loading: false });
      else set({ error: res.error.message, loading: false });
    },
    open: async (runId, compareWith = []) => {
      set({
        detailLoading: true,
        detailError: null,
        compareWith: compareWith.filter((id) => id !== runId),
      });
      const res = await api.call('runs:get', { runId });
      if (res.ok) set({ detail: res.value, detailLoading: false });
      else set({ detail: null, detailError: res.error.message, detailLoading: false });
    },
    setCompareWith: (runIds) => set({ compareWith: runIds }),
    remove: async (runId) => {
      const res = await api.call('runs:delete', { runId });
      if (!res.ok) return res.error.message;
      if (get().detail?.item.runId === runId) set({ detail: null });
      set({ compareWith: get().compareWith.filter((id) => id !== runId) });
      await get().refresh();
      return null;
    },
  }));
}
