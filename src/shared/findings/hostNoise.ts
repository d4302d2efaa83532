/**
 * The host's own noise, measured: other processes' CPU use and the hypervisor's steal during the
 * repetitions (sample meta.hostCpu, recorded by the engine for every repetition), and frequency
 * scaling before the run (environment.json `host`). Each finding names its numbers and what to do.
 */
import { metaOf } from '../sampleMeta/registry';
import { CATALOGUE } from '../catalogue';
import { UNKNOWN } from '../host/conditions';
import type { HostCpuSplit } from '../host/procStat';
import { PLATFORM_INFO } from '../platforms';
import type { Sample } from '../sample';
import { targetLabelOf, targetOf } from '../targets';
import type { FindingsInput } from './context';
import type { Finding } from './types';

/** Other processes' mean CPU use (in % of one CPU) over a platform's repetitions that we report. */
export const OTHER_LOAD_WARN_PERCENT = 10;
/** …and above which the figures are called unreliable (half a CPU taken by something else). */
export const OTHER_LOAD_PROBLEM_PERCENT = 50;
/** Mean steal (in % of all CPU time) over the repetitions that we report. */
export const STEAL_WARN_PERCENT = 2;
/** Governors that hold the clock at its maximum (no frequency scaling). */
const FIXED_CLOCK_GOVERNORS = ['performance'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** meta.hostCpu of a sample, when it was measured. */
export function hostCpuOf(s: Sample): HostCpuSplit | null {
  const h = metaOf(s.meta, 'hostCpu');
  return h === undefined || h === 'unknown' ? null : h;
}

interface Measured {
  sample: Sample;
  cpu: HostCpuSplit;
}

/** The measured repetitions of each target (its platform id when the run had no variants). */
function byCellKey(samples: readonly Sample[]): Map<string, Measured[]> {
  const out = new Map<string, Measured[]>();
  for (const s of samples) {
    const cpu = hostCpuOf(s);
    if (!cpu) continue;
    const key = targetOf(s);
    const list = out.get(key) ?? [];
    list.push({ sample: s, cpu });
    out.set(key, list);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r1 = (x: number) => Math.round(x * 10) / 10;

function keyTitle(key: string, list: Measured[]): string {
  if (key in PLATFORM_INFO) return PLATFORM_INFO[key as keyof typeof PLATFORM_INFO].title;
  const s = list[0]?.sample;
  const label = s ? metaOf(s.meta, 'targetLabel') : undefined;
  if (label !== undefined) return label;
  return s ? targetLabelOf(s.platform, key) : key;
}

/** The busiest other processes over a set of repetitions: "stress (pid 123) 97%". */
function busiest(list: Measured[]): string[] {
  const total = new Map<string, number>();
  for (const m of list)
    for (const o of m.cpu.topOthers) {
      const k = `${o.comm} (pid ${o.pid})`;
      total.set(k, (total.get(k) ?? 0) + o.cpuPercent);
    }
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${r1(v / list.length)}%`);
}

/** Per benchmark: mean of a figure over the cell's repetitions ("Fork sum 41%"). */
function perBenchmark(list: Measured[], pick: (c: HostCpuSplit) => number): string {
  const groups = new Map<string, number[]>();
  for (const m of list) {
    const g = groups.get(m.sample.benchmark) ?? [];
    g.push(pick(m.cpu));
    groups.set(m.sample.benchmark, g);
  }
  return [...groups.entries()]
    .map(([b, xs]) => `${CATALOGUE[b as keyof typeof CATALOGUE].title} ${r1(mean(xs))}%`)
    .join(', ');
}

/** "Another process used 38% of a CPU during these repetitions." */
export function otherLoad({ samples }: FindingsInput): Finding[] {
  const out: Finding[] = [];
  for (const [key, list] of byCellKey(samples)) {
    const shares = list.map((m) => m.cpu.othersCpuPercent);
    const avg = mean(shares);
    if (avg < OTHER_LOAD_WARN_PERCENT) continue;
    const who = busiest(list);
    const cpus = list[0]?.cpu.cpus ?? null;
    out.push({
      id: `other-load:${key}`,
      severity: avg >= OTHER_LOAD_PROBLEM_PERCENT ? 'problem' : 'warn',
      kind: 'diagnostic',
      title: `Other processes used ${r1(avg)}% of a CPU during the ${keyTitle(key, list)} repetitions`,
      explanation:
        `Processes that are not part of this run used on average ${r1(avg)}% of one CPU (up to ${r1(Math.max(...shares))}%) ` +
        `while ${keyTitle(key, list)} measured (${list.length} repetitions${cpus ? ` on a ${cpus}-CPU host` : ''}); busiest: ${who.join(', ') || 'short-lived processes'}. ` +
        `By cell: ${perBenchmark(list, (c) => c.othersCpuPercent)}. ` +
        'They compete with the benchmark for CPU time, caches and memory bandwidth, so these figures are slower and noisier than on a quiet host. ' +
        'Stop them (or wait until the host is idle) and run again; every sample records this share in meta.hostCpu.',
      numbers: {
        'other processes, mean % of a CPU': r1(avg),
        'other processes, max % of a CPU': r1(Math.max(...shares)),
        repetitions: list.length,
        busiest: who.join(', ') || null,
      },
    });
  }
  return out;
}

/** "The hypervisor under this host stole 12% of CPU time." */
export function cpuSteal({ samples }: FindingsInput): Finding[] {
  const all = [...byCellKey(samples).entries()];
  const list = all.flatMap(([, l]) => l);
  if (list.length === 0) return [];
  const avg = mean(list.map((m) => m.cpu.stealPercent));
  if (avg < STEAL_WARN_PERCENT) return [];
  const byKey = all
    .map(([k, l]) => `${keyTitle(k, l)} ${r1(mean(l.map((m) => m.cpu.stealPercent)))}%`)
    .join(', ');
  return [
    {
      id: 'cpu-steal',
      severity: 'warn',
      kind: 'diagnostic',
      title: `The hypervisor under this host stole ${r1(avg)}% of CPU time`,
      explanation:
        `This host is itself a virtual machine, and during the repetitions its hypervisor gave ${r1(avg)}% of the CPU time (up to ${r1(Math.max(...list.map((m) => m.cpu.stealPercent)))}%) to other guests ("steal" in /proc/stat). By platform: ${byKey}. ` +
        'Stolen time makes every figure slower and noisier, differently from one repetition to the next. ' +
        'Run more repetitions, at a quieter time, or on a dedicated (bare-metal or pinned) machine.',
      numbers: {
        'steal, mean % of CPU time': r1(avg),
        'steal, max %': r1(Math.max(...list.map((m) => m.cpu.stealPercent))),
        repetitions: list.length,
      },
    },
  ];
}

/** "Frequency scaling is on (governor powersave)." From environment.json `host`. */
export function frequencyScaling({ environment }: FindingsInput): Finding[] {
  if (!isRecord(environment) || !isRecord(environment.host)) return [];
  const governor =
    typeof environment.host.governor === 'string' ? environment.host.governor : UNKNOWN;
  const boost = typeof environment.host.boost === 'string' ? environment.host.boost : UNKNOWN;
  const scaling =
    governor !== UNKNOWN &&
    governor.split(', ').some((g) => !FIXED_CLOCK_GOVERNORS.includes(g.trim()));
  const turbo = boost === 'on';
  if (!scaling && !turbo) return [];
  const parts: string[] = [];
  if (scaling)
    parts.push(
      `The CPU frequency governor is ${governor}: the clock follows the load, so a short benchmark can finish before the CPU has sped up, and repetitions run at different speeds. Set the performance governor for the run (as root: cpupower frequency-set -g performance).`,
    );
  if (turbo)
    parts.push(
      'Turbo/boost is on: the top clock depends on temperature and on how many cores are busy, so figures drift as the CPU warms. Turn it off for stable figures (echo 0 > /sys/devices/system/cpu/cpufreq/boost, or 1 > intel_pstate/no_turbo).',
    );
  return [
    {
      id: 'frequency-scaling',
      severity: 'warn',
      kind: 'diagnostic',
      title: scaling
        ? `Frequency scaling is on (governor ${governor})`
        : 'Turbo boost is on (the clock varies)',
      explanation: parts.join(' '),
      numbers: { governor, boost },
    },
  ];
}
