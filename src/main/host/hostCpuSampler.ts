/**
 * The host's CPU during each repetition: a reading of /proc/stat and of every process's CPU time
 * (/proc/<pid>/stat) just before the repetition starts and just after it ends; the difference is
 * recorded in the sample's meta.hostCpu (shared/host/procStat.ts). Processes that belong to the
 * run are this process and everything below it, plus the processes in the cgroup of the run's
 * container (meta.containerId) and its runtime shim; everything else is "other load".
 *
 * Limits: a process that starts and ends between two readings is seen only through its parent
 * (its time lands in the parent's cutime/cstime when reaped); reading ~100–300 small files costs a
 * few milliseconds, outside the benchmark's timed part.
 */
import { readdirSync } from 'node:fs';
import {
  descendantsOf,
  hostCpuSplit,
  parsePidStat,
  parseProcStat,
  type CpuTimes,
  type HostCpuSplit,
  type ProcessTimes,
} from '../../shared/host/procStat';
import { readTextOrNull, type ReadText } from './hostConditions';

interface Reading {
  at: bigint;
  stat: { total: CpuTimes; cpus: number };
  procs: ProcessTimes[];
}

export interface HostCpuScope {
  /** Root of the run's own process tree (default: this process). */
  rootPid?: number;
  /** A container of the run: its processes (by cgroup) are part of the run. */
  containerId?: string;
}

export interface HostCpuProbe {
  /** The split since begin(); null when /proc could not be read. */
  end(): HostCpuSplit | null;
}

export interface HostCpuSampler {
  begin(scope?: HostCpuScope): HostCpuProbe;
}

function listPids(procDir: string): number[] {
  try {
    return readdirSync(procDir)
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

export function createHostCpuSampler(
  opts: { procDir?: string; read?: ReadText } = {},
): HostCpuSampler {
  const procDir = opts.procDir ?? '/proc';
  const read = opts.read ?? readTextOrNull;

  // The container's processes (its cgroup) and its runtime shim (named with the container id on
  // its command line): the shim reaps the benchmark processes `docker exec` starts, so their CPU
  // time lands in the shim's cutime/cstime.
  const inContainer = (pid: number, id: string): boolean =>
    (read(`${procDir}/${pid}/cgroup`) ?? '').includes(id) ||
    (read(`${procDir}/${pid}/cmdline`) ?? '').includes(id);

  /**
   * One snapshot. Container membership is decided right when a process is read: a benchmark
   * process that exits before the repetition ends can no longer show its cgroup, and would
   * otherwise be counted as "another process".
   */
  const reading = (containerId: string | undefined, inRun: Set<number>): Reading | null => {
    const statText = read(`${procDir}/stat`);
    const stat = statText === null ? null : parseProcStat(statText);
    if (!stat) return null;
    const procs: ProcessTimes[] = [];
    for (const pid of listPids(procDir)) {
      const text = read(`${procDir}/${pid}/stat`);
      const p = text === null ? null : parsePidStat(text);
      if (!p) continue;
      procs.push(p);
      if (containerId && !inRun.has(pid) && inContainer(pid, containerId)) inRun.add(pid);
    }
    return { at: process.hrtime.bigint(), stat, procs };
  };

  return {
    begin(scope = {}) {
      const containerId = scope.containerId;
      const inContainerRun = new Set<number>();
      const before = reading(containerId, inContainerRun);
      return {
        end() {
          const after = reading(containerId, inContainerRun);
          if (!before || !after) return null;
          const root = scope.rootPid ?? process.pid;
          const ours = descendantsOf(root, [...before.procs, ...after.procs]);
          const isOurs = (p: ProcessTimes): boolean => ours.has(p.pid) || inContainerRun.has(p.pid);
          return hostCpuSplit({
            seconds: Number(after.at - before.at) / 1e9,
            cpus: after.stat.cpus,
            statBefore: before.stat.total,
            statAfter: after.stat.total,
            procsBefore: before.procs,
            procsAfter: after.procs,
            ours: isOurs,
          });
        },
      };
    },
  };
}
