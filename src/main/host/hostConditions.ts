/**
 * Reads the host's conditions before a run (environment.json `host`): the files of
 * shared/host/conditions.ts, each read defensively (unreadable → null → "unknown").
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHostConditions, type HostConditions } from '../../shared/host/conditions';
import { readTextOrNull, type ReadText } from './procReader';

const CPU_DIR = '/sys/devices/system/cpu';

function cpuDirs(): string[] {
  try {
    return readdirSync(CPU_DIR).filter((d) => /^cpu\d+$/.test(d));
  } catch {
    return [];
  }
}

export function collectHostConditions(read: ReadText = readTextOrNull): HostConditions {
  return parseHostConditions({
    governors: cpuDirs().map((d) => read(join(CPU_DIR, d, 'cpufreq', 'scaling_governor'))),
    boost: read(join(CPU_DIR, 'cpufreq', 'boost')),
    noTurbo: read(join(CPU_DIR, 'intel_pstate', 'no_turbo')),
    aslr: read('/proc/sys/kernel/randomize_va_space'),
    isolated: read(join(CPU_DIR, 'isolated')),
    loadavg: read('/proc/loadavg'),
    meminfo: read('/proc/meminfo'),
    cpuinfo: read('/proc/cpuinfo'),
    hypervisorType: read('/sys/hypervisor/type'),
    dmiVendor: read('/sys/class/dmi/id/sys_vendor'),
    dmiProduct: read('/sys/class/dmi/id/product_name'),
  });
}
