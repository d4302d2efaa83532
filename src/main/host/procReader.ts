/**
 * The one reader of /proc for CPU accounting: the host's CPU times (/proc/stat) and every
 * process's (/proc/<pid>/stat), plus a process's cgroup and command line to tell whose it is.
 * The host CPU sampler (hostCpuSampler.ts) and the nginx benchmark's server-side CPU
 * (benchmarks/nginx/serverCpu.ts) both read through it; tests construct one over a fake folder
 * and an injected file reader. Every read is defensive: a process that is gone reads as null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import {
  parsePidStat,
  parseProcStat,
  type CpuTimes,
  type ProcessTimes,
} from '../../shared/host/procStat';

/** A file's text, or null when it cannot be read. */
export type ReadText = (path: string) => string | null;

export const readTextOrNull: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

export interface ProcReader {
  /** The host's CPU times since boot and its CPU count; null when /proc/stat is unreadable. */
  hostTimes(): { total: CpuTimes; cpus: number } | null;
  /**
   * Every process's CPU times, read one after another; `visit` sees each right after its stat
   * was read (while it still exists, so its cgroup can still be asked).
   */
  processes(visit?: (p: ProcessTimes) => void): ProcessTimes[];
  /** A process's cgroup file ('' when gone or unreadable). */
  cgroup(pid: number): string;
  /** A process's command line, arguments split ([] when gone or unreadable). */
  cmdline(pid: number): string[];
}

export interface ProcReaderOptions {
  /** The proc folder (default /proc; tests pass a constructed one). */
  procDir?: string;
  read?: ReadText;
}

export function createProcReader(opts: ProcReaderOptions = {}): ProcReader {
  const procDir = opts.procDir ?? '/proc';
  const read = opts.read ?? readTextOrNull;
  const pids = (): number[] => {
    try {
      return readdirSync(procDir)
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
    } catch {
      return [];
    }
  };
  return {
    hostTimes() {
      const text = read(`${procDir}/stat`);
      return text === null ? null : parseProcStat(text);
    },
    processes(visit) {
      const out: ProcessTimes[] = [];
      for (const pid of pids()) {
        const text = read(`${procDir}/${pid}/stat`);
        const p = text === null ? null : parsePidStat(text);
        if (!p) continue;
        out.push(p);
        visit?.(p);
      }
      return out;
    },
    cgroup: (pid) => read(`${procDir}/${pid}/cgroup`) ?? '',
    cmdline: (pid) => (read(`${procDir}/${pid}/cmdline`) ?? '').split('\0'),
  };
}
