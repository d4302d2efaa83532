import type { BenchvisorApi } from '../../shared/api';

declare global {
  interface Window {
    /** Present in Electron (exposed by the preload); absent in web mode. */
    benchvisor?: BenchvisorApi;
  }
}

export {};
