/**
 * The host's CPU during each repetition: a reading of /proc/stat and of every process's CPU time
 * (/proc/<pid>/stat, through procReader.ts) just before the repetition starts and just after it
 * ends; the difference is recorded in the sample's meta.hostCpu (shared/host/procStat.ts).
 * Processes that belong to the run are this process and everything below it, the measuring
 * target's own processes and everything below them (scope.targetPids: QEMU's pid, a native
 * benchmark, a service the target started outside our tree), plus the processes in the cgroup
 * of the run's container (meta.containerId) and its runtime shim; everything else is "other load".
 *
 * Limits: a process that starts and ends between two readings is seen only through its parent
 * (its time lands in the parent's cutime/cstime when reaped); reading ~100–300 small files costs a
 * few milliseconds, outside the benchmark's timed part.
 */
import {
  descendantsOf,
  hostCpuSplit,
  type CpuTimes,
  type HostCpuSplit,
  type ProcessTimes,
} from '../../shared/host/procStat';
import { createProcReader, type ProcReader, type ReadText } from './procReader';

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
  /**
   * The measuring target's processes (QEMU's pid, the native benchmark, ...): each and everything
   * below it is the run's own CPU, never "other load", even where it is not below rootPid.
   */
  targetPids?: readonly number[];
}

export interface HostCpuProbe {
  /** The split since begin(); null when /proc could not be read. */
  end(): HostCpuSplit | null;
}

export interface HostCpuSampler {
  begin(scope?: HostCpuScope): HostCpuProbe;
}

/** The run's processes in two readings: rootPid's tree and every target pid's tree. */
function runTrees(scope: HostCpuScope, procs: readonly ProcessTimes[]): Set<number> {
  const out = new Set<number>();
  for (const root of [scope.rootPid ?? process.pid, ...(scope.targetPids ?? [])])
    for (const pid of descendantsOf(root, procs)) out.add(pid);
  return out;
}

export function createHostCpuSampler(
  opts: { procDir?: string; read?: ReadText; proc?: ProcReader } = {},
): HostCpuSampler {
  const proc = opts.proc ?? createProcReader(opts);

  // The container's processes (its cgroup) and its runtime shim (named with the container id on
  // its command line): the shim reaps the benchmark processes `docker exec` starts, so their CPU
  // time lands in the shim's cutime/cstime.
  const inContainer = (pid: number, id: string): boolean =>
    proc.cgroup(pid).includes(id) || proc.cmdline(pid).join(' ').includes(id);

  /**
   * One snapshot. Container membership is decided right when a process is read: a benchmark
   * process that exits before the repetition ends can no longer show its cgroup, and would
   * otherwise be counted as "another process".
   */
  const reading = (containerId: string | undefined, inRun: Set<number>): Reading | null => {
    const stat = proc.hostTimes();
    if (!stat) return null;
    const procs = proc.processes((p) => {
      if (containerId && !inRun.has(p.pid) && inContainer(p.pid, containerId)) inRun.add(p.pid);
    });
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
          const procs = [...before.procs, ...after.procs];
          const ours = runTrees(scope, procs);
          // Below a container's process (its shim): a benchmark process that was read while it
          // exited shows no cgroup any more, but its parent still places it in the container.
          for (const pid of [...inContainerRun])
            for (const child of descendantsOf(pid, procs)) ours.add(child);
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
