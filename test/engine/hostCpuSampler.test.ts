/**
 * The per-repetition CPU sampler on a constructed /proc: a container's benchmark process that
 * exits before the repetition ends (its cgroup no longer readable) still counts as the run's
 * own CPU, never as "another process" (a race seen once in a real Docker run).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostCpuSampler } from '../../src/main/host/hostCpuSampler';
import type { ProcReader } from '../../src/main/host/procReader';
import type { CpuTimes, ProcessTimes } from '../../src/shared/host/procStat';

const FIX = join(__dirname, '../results/fixtures/proc');
const CONTAINER = 'c0ffee0123456789';
/** Our pid tree root: a process that is not in the constructed /proc (so it owns nothing). */
const ROOT = 1;
const BENCH = 4242;

/** A /proc/<pid>/stat line with the given own and reaped-children ticks. */
function pidStat(pid: number, comm: string, ticks: number): string {
  // Fields 3.. : state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
  // stime cutime cstime priority nice threads itrealvalue starttime
  return `${pid} (${comm}) R 999 ${pid} ${pid} 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 1000`;
}

/**
 * One repetition sampled on a constructed /proc: folders for `pids` (the listing), the host's
 * /proc/stat from the fixture (first reading: before, then after), every other file from
 * `file` (its path below /proc, the reading it belongs to, the path read just before it).
 */
function sampleOnConstructedProc(
  pids: number[],
  file: (rel: string, reading: number, previous: string) => string | null,
) {
  const procDir = mkdtempSync(join(tmpdir(), 'bv-fakeproc-'));
  for (const pid of pids) mkdirSync(join(procDir, String(pid)));
  let reading = 0;
  let lastRead = '';
  const read = (path: string): string | null => {
    const previous = lastRead;
    lastRead = path;
    const rel = path.slice(procDir.length + 1);
    if (rel !== 'stat') return file(rel, reading, previous);
    reading += 1;
    return readFileSync(join(FIX, reading === 1 ? 'stat-before.txt' : 'stat-after.txt'), 'utf8');
  };
  try {
    return createHostCpuSampler({ procDir, read })
      .begin({ rootPid: ROOT, containerId: CONTAINER })
      .end();
  } finally {
    rmSync(procDir, { recursive: true, force: true });
  }
}

/** The benchmark's CPU is the run's own, and it is not among the other processes. */
function expectCountedAsTheRuns(split: ReturnType<typeof sampleOnConstructedProc>): void {
  expect(split).not.toBeNull();
  expect(split!.topOthers.map((o) => o.comm)).not.toContain('syscall');
  expect(split!.runCpuPercent).toBeGreaterThan(0);
}

describe('host CPU sampler', () => {
  it('counts a container process that exited before the end as the run own CPU', () => {
    // A process's cgroup is readable only right after its stat was read (afterwards it has exited).
    const split = sampleOnConstructedProc([BENCH, 5000], (rel, reading, previous) => {
      if (rel === `${BENCH}/stat`) return pidStat(BENCH, 'syscall', reading === 1 ? 0 : 50);
      if (rel === `${BENCH}/cgroup` || rel === `${BENCH}/cmdline`) {
        const alive = reading === 1 || previous.endsWith(`/${BENCH}/stat`);
        if (!alive) return null;
        return rel.endsWith('cgroup')
          ? `0::/system.slice/docker-${CONTAINER}.scope\n`
          : 'syscall\0';
      }
      if (rel === '5000/stat') return pidStat(5000, 'idler', 0);
      return null;
    });
    expectCountedAsTheRuns(split);
  });

  it("counts a process below the container's shim as the run's, even when its cgroup never reads", () => {
    // The benchmark (ppid SHIM) is exiting at both readings: no cgroup, no command line; its
    // parent, the runtime shim named with the container id, places it in the container.
    const SHIM = 3000;
    const split = sampleOnConstructedProc([SHIM, BENCH], (rel, reading) => {
      if (rel === `${SHIM}/stat`) return pidStat(SHIM, 'containerd-shim', 0);
      if (rel === `${SHIM}/cmdline`) return `containerd-shim\0-id\0${CONTAINER}\0`;
      if (rel === `${BENCH}/stat`)
        return pidStat(BENCH, 'syscall', reading === 1 ? 0 : 50).replace(' R 999 ', ` R ${SHIM} `);
      return null;
    });
    expectCountedAsTheRuns(split);
  });
});

/** A constructed ProcReader: /proc/stat and the processes as two readings (before, after). */
function twoReadings(
  host: [number, number],
  procs: { pid: number; ppid: number; comm: string; ticks: [number, number] }[],
): ProcReader {
  let hostReads = 0;
  let procReads = 0;
  const times = (user: number): CpuTimes => ({
    user,
    nice: 0,
    system: 0,
    idle: 1000,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
  });
  return {
    hostTimes: () => ({ total: times(host[Math.min(hostReads++, 1)]!), cpus: 2 }),
    processes(visit) {
      const i = Math.min(procReads++, 1);
      const list: ProcessTimes[] = procs.map((p) => ({
        pid: p.pid,
        ppid: p.ppid,
        comm: p.comm,
        ticks: p.ticks[i]!,
        childTicks: 0,
        startTime: 100,
      }));
      list.forEach((p) => visit?.(p));
      return list;
    },
    cgroup: () => '',
    cmdline: () => [],
  };
}

describe('host CPU sampler told the target pids', () => {
  // QEMU (7000) and its helper process (7001) are not below our root (ROOT owns nothing
  // here); 8000 is someone else's program.
  const procs = [
    { pid: 7000, ppid: 900, comm: 'qemu-system-x86', ticks: [0, 50] as [number, number] },
    { pid: 7001, ppid: 7000, comm: 'qemu-helper', ticks: [0, 5] as [number, number] },
    { pid: 8000, ppid: 900, comm: 'other', ticks: [0, 10] as [number, number] },
  ];

  it("counts the target's processes and their children as the run's CPU, never as other load", () => {
    const sampler = createHostCpuSampler({ proc: twoReadings([0, 65], procs) });
    const split = sampler.begin({ rootPid: ROOT, targetPids: [7000] }).end()!;
    expect(split.runCpuPercent).toBeGreaterThan(0);
    expect(split.topOthers.map((o) => o.comm)).toEqual(['other']);
  });

  it('without them, the same processes are other load', () => {
    const sampler = createHostCpuSampler({ proc: twoReadings([0, 65], procs) });
    const split = sampler.begin({ rootPid: ROOT }).end()!;
    expect(split.runCpuPercent).toBe(0);
    expect(split.topOthers.map((o) => o.comm)).toEqual(['qemu-system-x86', 'other', 'qemu-helper']);
  });

  it('is null when /proc/stat cannot be read', () => {
    const proc = { ...twoReadings([0, 0], []), hostTimes: () => null };
    expect(createHostCpuSampler({ proc }).begin().end()).toBeNull();
  });
});
