/** Which page is shown, and the connection facts (app:info). */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi } from '../../../shared/api';

export type View = 'wizard' | 'run' | 'results' | 'compare' | 'history' | 'hosts';

export interface AppState {
  view: View;
  version: string | null;
  transport: 'ipc' | 'websocket' | 'agent' | null;
  host: string | null;
  runsDir: string | null;
  setView(view: View): void;
  loadInfo(): Promise<void>;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: BenchvisorApi): AppStore {
  return createStore<AppState>()((set) => ({
    view: 'wizard',
    version: null,
    transport: null,
    host: null,
    runsDir: null,
    setView: (view) => set({ view }),
    loadInfo: async () => {
      const res = await api.call('app:info', {});
      if (res.ok) {
        const h = res.value.host;
        set({
          version: res.value.version,
          transport: res.value.transport,
          runsDir: res.value.runsDir,
          host: `${h.cpuModel} · ${h.cores} cores · ${(h.memoryMiB / 1024).toFixed(0)} GiB`,
        });
      }
    },
  }));
}
