/** Platform availability from doctor:check. */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi } from '../../../shared/api';
import type { DoctorReport } from '../../../shared/platforms';

export interface DoctorState {
  report: DoctorReport | null;
  loading: boolean;
  error: string | null;
  check(refresh: boolean): Promise<void>;
}

export type DoctorStore = StoreApi<DoctorState>;

export function createDoctorStore(api: BenchvisorApi): DoctorStore {
  return createStore<DoctorState>()((set) => ({
    report: null,
    loading: false,
    error: null,
    check: async (refresh) => {
      set({ loading: true, error: null });
      const res = await api.call('doctor:check', { refresh });
      if (res.ok) set({ report: res.value, loading: false });
      else set({ error: res.error.message, loading: false });
    },
  }));
}
