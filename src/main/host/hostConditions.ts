/**
 * Reads the host's conditions before a run (environment.json `host`): the files of
 * shared/host/conditions.ts, each read defensively (unreadable → null → "unknown").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHostConditions, type HostConditions } from '../../shared/host/conditions';

const CPU_DIR = '/sys/devices/system/cpu';

/** A file's text, or null when it cannot be read. */
export type ReadText = (path: string) => string | null;

export const readTextOrNull: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

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
