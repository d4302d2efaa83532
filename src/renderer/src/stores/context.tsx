/** Stores and the API handed to components through React context (no module singletons). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi } from '../../../shared/api';
import { createAppStore } from './appStore';
import type { AppStore } from './appStore';
import { createDoctorStore } from './doctorStore';
import type { DoctorStore } from './doctorStore';
import { createHistoryStore } from './historyStore';
import { createHostsStore } from './hostsStore';
import type { HostsStore } from './hostsStore';
import type { HistoryStore } from './historyStore';
import { createLiveRunStore } from './liveRunStore';
import type { LiveRunStore } from './liveRunStore';
import { createWizardStore } from './wizardStore';
import type { WizardStore } from './wizardStore';

export interface Stores {
  api: BenchvisorApi;
  app: AppStore;
  doctor: DoctorStore;
  wizard: WizardStore;
  run: LiveRunStore;
  history: HistoryStore;
  hosts: HostsStore;
}

export function createStores(api: BenchvisorApi): Stores {
  return {
    api,
    app: createAppStore(api),
    doctor: createDoctorStore(api),
    wizard: createWizardStore(api),
    run: createLiveRunStore(api),
    history: createHistoryStore(api),
    hosts: createHostsStore(api),
  };
}

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('StoresContext is missing');
  return s;
}

type DomainKey = Exclude<keyof Stores, 'api'>;
type StateOf<K extends DomainKey> = Stores[K] extends StoreApi<infer S> ? S : never;

/** Selects from one domain store: `const step = useDomain('wizard', (s) => s.step)`. */
export function useDomain<K extends DomainKey, T>(key: K, selector: (state: StateOf<K>) => T): T {
  const store = useStores()[key] as unknown as StoreApi<StateOf<K>>;
  return useStore<StoreApi<StateOf<K>>, T>(store, selector);
}
