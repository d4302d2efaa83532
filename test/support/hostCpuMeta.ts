/**
 * A whole meta.hostCpu value for constructed samples: a quiet two-CPU host, with the fields a
 * test cares about overridden (the registry reads hostCpu only when it has every field).
 */
import type { HostCpuSplit } from '../../src/shared/host/procStat';

export function hostCpuMeta(fields: Partial<HostCpuSplit> = {}): HostCpuSplit {
  return {
    seconds: 1,
    cpus: 2,
    userPercent: 50,
    systemPercent: 5,
    iowaitPercent: 0,
    stealPercent: 0,
    idlePercent: 45,
    otherPercent: 0,
    othersCpuPercent: 0,
    topOthers: [],
    runCpuPercent: 100,
    ...fields,
  };
}
