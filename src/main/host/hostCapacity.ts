/**
 * What this host can give a run now (the host preflight's input, hostLimits.ts): CPUs this
 * process may use, total and available memory, free disk space under a folder.
 */
import { existsSync, statfsSync } from 'node:fs';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { ReadText } from './procReader';

export interface HostCapacity {
  /** Logical CPUs this process may use. */
  cpus: number;
  memoryTotalBytes: number;
  /** Memory the host can give now (MemAvailable: free plus reclaimable cache). */
  memoryAvailableBytes: number;
  /** Free bytes for an unprivileged user on the file system holding `dir` (null: unknown). */
  freeBytes(dir: string): number | null;
}

/** MemAvailable from /proc/meminfo (bytes), or os.freemem() where there is none. */
function availableMemory(read: ReadText, procDir: string): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(read(`${procDir}/meminfo`) ?? '');
  return m ? Number(m[1]) * 1024 : freemem();
}

/** Free space of the file system holding `dir` (its nearest existing ancestor). */
function freeBytes(dir: string): number | null {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    const s = statfsSync(d);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** This host's capacity, read now. */
export function readHostCapacity(read: ReadText, procDir = '/proc'): HostCapacity {
  return {
    cpus: availableParallelism(),
    memoryTotalBytes: totalmem(),
    memoryAvailableBytes: availableMemory(read, procDir),
    freeBytes,
  };
}
