/** Lab hosts (hosts:* channels) and where the next run goes (this machine and/or hosts). */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi } from '../../../shared/api';
import type { HostEntry, RunPlaces } from '../../../shared/hosts';

export interface HostsState {
  entries: HostEntry[];
  loading: boolean;
  /** Hosts being checked right now. */
  checking: string[];
  error: string | null;
  /** The wizard's choice: run here, and on these hosts. */
  here: boolean;
  chosen: string[];
  load(): Promise<void>;
  add(name: string, destination: string, command: string): Promise<boolean>;
  check(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  setHere(on: boolean): void;
  toggleHost(name: string): void;
  /** Where the next run goes (absent: this machine only, as before hosts existed). */
  where(): RunPlaces | undefined;
}

export type HostsStore = StoreApi<HostsState>;

export function createHostsStore(api: BenchvisorApi): HostsStore {
  return createStore<HostsState>()((set, get) => {
    const load = async (): Promise<void> => {
      set({ loading: true });
      const res = await api.call('hosts:list', {});
      if (res.ok) {
        // A host chosen earlier that is gone or no longer passes its check is not chosen now.
        const usable = new Set(res.value.filter((e) => e.check?.ok).map((e) => e.host.name));
        set((s) => ({
          entries: res.value,
          loading: false,
          chosen: s.chosen.filter((n) => usable.has(n)),
        }));
      } else set({ loading: false, error: res.error.message });
    };
    return {
      entries: [],
      loading: false,
      checking: [],
      error: null,
      here: true,
      chosen: [],
      load,
      add: async (name, destination, command) => {
        set({ error: null });
        const res = await api.call('hosts:add', {
          name: name.trim(),
          destination: destination.trim(),
          ...(command.trim() ? { command: command.trim() } : {}),
        });
        if (!res.ok) {
          set({ error: res.error.message });
          return false;
        }
        await load();
        return true;
      },
      check: async (name) => {
        set((s) => ({ checking: [...s.checking, name], error: null }));
        const res = await api.call('hosts:check', { name });
        set((s) => ({ checking: s.checking.filter((n) => n !== name) }));
        if (!res.ok) set({ error: res.error.message });
        await load();
      },
      remove: async (name) => {
        const res = await api.call('hosts:remove', { name });
        if (!res.ok) set({ error: res.error.message });
        await load();
      },
      setHere: (on) => set({ here: on }),
      toggleHost: (name) =>
        set((s) => ({
          chosen: s.chosen.includes(name)
            ? s.chosen.filter((n) => n !== name)
            : [...s.chosen, name],
        })),
      where: () => {
        const s = get();
        return s.chosen.length === 0 ? undefined : { local: s.here, hosts: s.chosen };
      },
    };
  });
}
