/**
 * The host's noise: /proc parsing on recorded fixtures, the host conditions ("unknown" where a
 * file cannot be read), and the findings (other load, steal, frequency scaling, warmup,
 * instability) on constructed samples.
 */
import { hostCpuMeta } from '../support/hostCpuMeta';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostConditions, type HostFiles } from '../../src/shared/host/conditions';
import {
  cpuSplit,
  hostCpuSplit,
  parsePidStat,
  parseProcStat,
  type HostCpuSplit,
  type ProcessTimes,
} from '../../src/shared/host/procStat';
import { computeFindings } from '../../src/shared/findings';
import { firstRepetitionExcess } from '../../src/shared/findings/stability';
import type { Sample } from '../../src/shared/sample';
import { repetitionsForTarget, summarize, tCritical } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'proc', name), 'utf8');

describe('/proc/stat on recorded fixtures', () => {
  it('reads the aggregate line and counts the CPUs', () => {
    const before = parseProcStat(fixture('stat-before.txt'))!;
    const after = parseProcStat(fixture('stat-after.txt'))!;
    expect(before.cpus).toBe(2);
    expect(before.total).toEqual({
      user: 438840,
      nice: 965,
      system: 133496,
      idle: 40891,
      iowait: 568,
      irq: 0,
      softirq: 824,
      steal: 0,
    });
    // One second on a saturated 2-CPU host: 174 user + 47 system ticks, nothing idle.
    const split = cpuSplit(before.total, after.total);
    expect(split.userPercent).toBeCloseTo((174 / 221) * 100, 1);
    expect(split.systemPercent).toBeCloseTo((47 / 221) * 100, 1);
    expect(split.idlePercent).toBe(0);
    expect(split.stealPercent).toBe(0);
  });
  it('measures steal: 48 of 400 ticks = 12%', () => {
    const a = parseProcStat(fixture('stat-steal-before.txt'))!;
    const b = parseProcStat(fixture('stat-steal-after.txt'))!;
    expect(a.cpus).toBe(4);
    expect(cpuSplit(a.total, b.total)).toEqual({
      userPercent: 50,
      systemPercent: 10,
      iowaitPercent: 0,
      stealPercent: 12,
      idlePercent: 28,
      otherPercent: 0,
    });
  });
  it('rejects text without a cpu line', () => {
    expect(parseProcStat('intr 1 2\nctxt 3\n')).toBeNull();
    expect(parseProcStat('cpu  1 2 x 4\n')).toBeNull();
  });
});

describe('/proc/<pid>/stat on recorded fixtures', () => {
  it('takes the name between the first "(" and the last ")", even with ") (" inside', () => {
    expect(parsePidStat(fixture('pid-stat-parens.txt'))).toEqual({
      pid: 28882,
      comm: 'x) y (z',
      ppid: 28881,
      ticks: 0,
      childTicks: 0,
      startTime: 311228,
    });
  });
  it('reads utime + stime and cutime + cstime', () => {
    expect(parsePidStat(fixture('pid-stat-spaces.txt'))).toMatchObject({
      pid: 25695,
      comm: 'npm exec vitest',
      ppid: 25692,
      ticks: 82 + 22,
      childTicks: 0,
      startTime: 291860,
    });
    expect(parsePidStat(fixture('pid-stat-kthreadd.txt'))).toMatchObject({ pid: 2, ppid: 0 });
    expect(parsePidStat('garbage')).toBeNull();
  });
});

describe('the split of one repetition', () => {
  const proc = (pid: number, ppid: number, ticks: number, childTicks = 0, comm = `p${pid}`) =>
    ({ pid, ppid, comm, ticks, childTicks, startTime: pid * 10 }) as ProcessTimes;
  it('other load = user + nice + system minus the run and kernel threads; the busiest are named', () => {
    const statBefore = {
      user: 0,
      nice: 0,
      system: 0,
      idle: 0,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    };
    // 2 s on 2 CPUs = 400 ticks: 300 busy (user 250 + system 50), 100 idle.
    const statAfter = { ...statBefore, user: 250, system: 50, idle: 100 };
    const before = [
      proc(100, 1, 0),
      proc(101, 100, 0),
      proc(200, 1, 0, 0, 'burner'),
      proc(7, 2, 0),
    ];
    const after = [
      proc(100, 1, 10, 100), // the run's root: 10 own + 100 of a benchmark it reaped
      proc(101, 100, 30), // a child of the run
      proc(200, 1, 120, 0, 'burner'), // 120 ticks in 2 s = 60% of a CPU
      proc(7, 2, 20), // a kernel thread
      proc(300, 1, 15, 0, 'new'), // started during the repetition
    ];
    const split = hostCpuSplit({
      seconds: 2,
      cpus: 2,
      statBefore,
      statAfter,
      procsBefore: before,
      procsAfter: after,
      ours: (p) => p.pid === 100 || p.pid === 101,
    });
    // 300 − (10 + 100 + 30) − 20 = 140 ticks = 70% of a CPU (burner 60% + new 7.5% + 2.5% unseen).
    expect(split.othersCpuPercent).toBe(70);
    expect(split.topOthers).toEqual([
      { pid: 200, comm: 'burner', cpuPercent: 60 },
      { pid: 300, comm: 'new', cpuPercent: 7.5 },
    ]);
    expect(split).toMatchObject({ userPercent: 62.5, systemPercent: 12.5, idlePercent: 25 });
    expect(split.runCpuPercent).toBe(70); // (10 + 100 + 30) ticks in 2 s
  });
});

describe('host conditions', () => {
  const none: HostFiles = {
    governors: [null, null],
    boost: null,
    noTurbo: null,
    aslr: null,
    isolated: null,
    loadavg: null,
    meminfo: null,
    cpuinfo: null,
    hypervisorType: null,
    dmiVendor: null,
    dmiProduct: null,
  };
  it('says "unknown" for every fact it cannot read, never a guess', () => {
    expect(parseHostConditions(none)).toEqual({
      governor: 'unknown',
      boost: 'unknown',
      aslr: 'unknown',
      isolatedCpus: 'unknown',
      loadAverage: 'unknown',
      memoryAvailableMiB: 'unknown',
      virtualized: 'unknown',
      hypervisor: 'unknown',
    });
  });
  it('reads each fact from its file', () => {
    const c = parseHostConditions({
      ...none,
      governors: ['powersave\n', 'powersave\n'],
      noTurbo: '0\n',
      aslr: '2\n',
      isolated: '\n',
      loadavg: '1.50 0.75 0.25 2/300 4242\n',
      meminfo: 'MemTotal: 16000000 kB\nMemAvailable:   2097152 kB\n',
      cpuinfo: 'processor : 0\nflags : fpu vme hypervisor sse2\n',
      dmiVendor: 'QEMU\n',
    });
    expect(c).toEqual({
      governor: 'powersave',
      boost: 'on',
      aslr: 'full (2)',
      isolatedCpus: 'none',
      loadAverage: [1.5, 0.75, 0.25],
      memoryAvailableMiB: 2048,
      virtualized: 'yes',
      hypervisor: 'KVM/QEMU',
    });
    expect(parseHostConditions({ ...none, cpuinfo: 'flags : fpu sse2\n' }).virtualized).toBe('no');
  });
});

function withCpu(samples: Sample[], cpu: Partial<HostCpuSplit>): Sample[] {
  return samples.map((s) => ({ ...s, meta: { ...s.meta, hostCpu: hostCpuMeta(cpu) } }));
}

const findingsOf = (samples: Sample[], environment?: unknown, config?: unknown) =>
  computeFindings({ samples, summary: summarize(samples), environment, config });

describe('findings from the measured host noise', () => {
  it('names the other load with its share and the busiest process', () => {
    const samples = withCpu(cellSamples('native', 'linpack', 1000), {
      othersCpuPercent: 38,
      topOthers: [{ pid: 4242, comm: 'stress', cpuPercent: 36 }],
    });
    const f = findingsOf(samples).find((x) => x.id === 'other-load:native')!;
    expect(f.title).toBe('Other processes used 38% of a CPU during the Native repetitions');
    expect(f.severity).toBe('warn');
    expect(f.explanation).toContain('stress (pid 4242) 36%');
    expect(f.numbers['other processes, mean % of a CPU']).toBe(38);
  });
  it('stays quiet below 10% of a CPU', () => {
    const samples = withCpu(cellSamples('native', 'linpack', 1000), { othersCpuPercent: 9.9 });
    expect(findingsOf(samples).some((x) => x.id.startsWith('other-load'))).toBe(false);
  });
  it('names the steal', () => {
    const samples = withCpu(cellSamples('native', 'linpack', 1000), { stealPercent: 12 });
    const f = findingsOf(samples).find((x) => x.id === 'cpu-steal')!;
    expect(f.title).toBe('The hypervisor under this host stole 12% of CPU time');
  });
  it('names frequency scaling from environment.json, and says nothing when it is unknown', () => {
    const samples = cellSamples('native', 'linpack', 1000);
    const on = findingsOf(samples, { host: { governor: 'powersave', boost: 'unknown' } });
    expect(on.find((x) => x.id === 'frequency-scaling')!.title).toBe(
      'Frequency scaling is on (governor powersave)',
    );
    const fixed = findingsOf(samples, { host: { governor: 'performance', boost: 'off' } });
    expect(fixed.some((x) => x.id === 'frequency-scaling')).toBe(false);
    const unknown = findingsOf(samples, { host: { governor: 'unknown', boost: 'unknown' } });
    expect(unknown.some((x) => x.id === 'frequency-scaling')).toBe(false);
  });
});

describe('warmup and instability findings', () => {
  const times = (values: number[]): Sample[] =>
    cellSamples('native', 'memsweep', 1, { n: values.length }).map((s, i) => ({
      ...s,
      value: values[i]!,
      metrics: { seconds: values[i]! },
    }));
  it('a first repetition slower than all others and >10% above their median suggests warmup', () => {
    const samples = times([1.3, 1.0, 1.02, 0.99, 1.01]);
    const f = findingsOf(samples).find((x) => x.id === 'warmup:native:memsweep')!;
    expect(f.title).toBe('Native · memsweep: the first repetition was 29.4% slower than the rest');
    expect(f.numbers['slower by %']).toBeCloseTo((1.3 / 1.005 - 1) * 100, 1);
  });
  it('not when the first is within 10% or not the slowest', () => {
    expect(firstRepetitionExcess(summarize(times([1.09, 1.0, 1.0, 1.0])).cells[0]!)).toBeNull();
    expect(firstRepetitionExcess(summarize(times([1.3, 1.0, 1.4, 1.0])).cells[0]!)).toBeNull();
  });
  it('a noisy cell says how many more repetitions reach the target CI, computed', () => {
    const values = [1.0, 1.3, 0.8, 1.15, 0.9];
    const samples = times(values);
    const f = findingsOf(samples, undefined, {
      repetitions: { adaptive: { targetCiPercent: 5 } },
    }).find((x) => x.id === 'high-cv:native:memsweep')!;
    // Reference: the smallest n with t(n − 1) · sd(ln x) / √n ≤ ln 1.05, by a plain loop.
    const l = values.map(Math.log);
    const m = l.reduce((a, b) => a + b, 0) / l.length;
    const s = Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
    let n = 3;
    while ((tCritical(n - 1) * s) / Math.sqrt(n) > Math.log(1.05)) n++;
    expect(repetitionsForTarget(values, 5)).toBe(n);
    expect(f.numbers['more repetitions for the target']).toBe(n - 5);
    expect(f.explanation).toContain(`about ${n - 5} more repetitions (${n} in all)`);
  });
});
