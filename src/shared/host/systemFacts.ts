/**
 * A run's "System" facts in words, from environment.json and the samples' meta.hostCpu: CPU
 * model, cores, memory, kernel, frequency governor, CPU vulnerability mitigations, whether the
 * host is itself virtualized, and the load before and during the run. Pure and tolerant: a run
 * folder may be old or imported, so every field is read defensively and shown as "not recorded"
 * when absent. One list for the results page's System panel and `benchvisor show`.
 */
import { hostCpuOf } from '../findings/hostNoise';
import type { Sample } from '../sample';

export interface SystemFact {
  label: string;
  value: string;
}

/** What a fact reads as when the run did not record it. */
export const NOT_RECORDED = 'not recorded';

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function str(x: unknown): string | null {
  return typeof x === 'string' && x.trim() !== '' && x !== 'unknown' ? x.trim() : null;
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** "12.3 GiB" from MiB. */
function gib(mib: number): string {
  return `${(mib / 1024).toFixed(1)} GiB`;
}

/** The mitigations line: how many of the kernel's vulnerability entries are mitigated or not affected. */
export function mitigationsText(vulnerabilities: unknown): string {
  if (!isRecord(vulnerabilities)) return NOT_RECORDED;
  const entries = Object.entries(vulnerabilities).filter(([, v]) => typeof v === 'string');
  if (entries.length === 0) return NOT_RECORDED;
  const vulnerable = entries.filter(([, v]) => /^vulnerable/i.test(v as string)).map(([k]) => k);
  const mitigated = entries.filter(([, v]) => /^mitigation/i.test(v as string)).length;
  const unaffected = entries.filter(([, v]) => /^not affected/i.test(v as string)).length;
  const parts = [`${mitigated} mitigated`, `${unaffected} not affected`];
  if (vulnerable.length > 0) parts.push(`vulnerable: ${vulnerable.join(', ')}`);
  return `${parts.join(', ')} (of ${entries.length} the kernel lists)`;
}

function virtualizedText(env: Record<string, unknown>): string {
  const host = isRecord(env.host) ? env.host : {};
  const v = host.virtualized;
  const hv = str(host.hypervisor);
  if (v === 'yes') return hv ? `yes (${hv})` : 'yes';
  if (v === 'no') return 'no';
  if (typeof env.hostVirtualized === 'boolean') return env.hostVirtualized ? 'yes' : 'no';
  return NOT_RECORDED;
}

function loadBeforeText(env: Record<string, unknown>): string {
  const host = isRecord(env.host) ? env.host : {};
  const load = Array.isArray(host.loadAverage) ? host.loadAverage : env.loadAverage;
  if (!Array.isArray(load) || load.length < 3 || !load.every((x) => typeof x === 'number'))
    return NOT_RECORDED;
  return `load average ${(load as number[]).map((x) => x.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`;
}

/** Other processes' CPU use and steal over the measured repetitions (meta.hostCpu). */
export function loadDuringText(samples: readonly Sample[]): string {
  const splits = samples.map(hostCpuOf).filter((c) => c !== null);
  if (splits.length === 0) return NOT_RECORDED;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const others = mean(splits.map((c) => c.othersCpuPercent));
  const steal = mean(splits.map((c) => c.stealPercent));
  return `other processes used ${others.toFixed(0)}% of a CPU on average, steal ${steal.toFixed(1)}% (over ${splits.length} repetitions)`;
}

/** The System facts of a run, in display order. */
export function systemFacts(environment: unknown, samples: readonly Sample[]): SystemFact[] {
  const env = isRecord(environment) ? environment : {};
  const cpuFacts = isRecord(env.cpuFacts) ? env.cpuFacts : {};
  const host = isRecord(env.host) ? env.host : {};
  const cores = num(env.cores);
  const memory = num(env.memoryMiB);
  // environment.json: kernel is the release ("6.1.0-18-amd64"), kernelVersion the build line.
  const release = str(env.kernel);
  const build = str(env.kernelVersion);
  const kernel = release ? (build ? `${release} (${build})` : release) : '';
  return [
    { label: 'CPU', value: str(env.cpuModel) ?? str(cpuFacts.cpuModel) ?? NOT_RECORDED },
    { label: 'Cores', value: cores !== null ? String(cores) : NOT_RECORDED },
    {
      label: 'Memory',
      value: memory !== null ? gib(memory) : NOT_RECORDED,
    },
    { label: 'Kernel', value: kernel !== '' ? kernel : NOT_RECORDED },
    { label: 'Governor', value: str(host.governor) ?? str(env.governor) ?? NOT_RECORDED },
    { label: 'Mitigations', value: mitigationsText(cpuFacts.cpuVulnerabilities) },
    { label: 'Virtualized', value: virtualizedText(env) },
    { label: 'Load before the run', value: loadBeforeText(env) },
    { label: 'Load during the run', value: loadDuringText(samples) },
  ];
}

/** The panel's one summary line: "AMD EPYC · 2 cores · 23.4 GiB · virtualized". */
export function systemSummary(facts: readonly SystemFact[]): string {
  const get = (label: string) => facts.find((f) => f.label === label)?.value ?? NOT_RECORDED;
  const parts = [get('CPU')];
  if (get('Cores') !== NOT_RECORDED) parts.push(`${get('Cores')} cores`);
  if (get('Memory') !== NOT_RECORDED) parts.push(get('Memory'));
  if (get('Kernel') !== NOT_RECORDED) parts.push(`Linux ${get('Kernel').split(' ')[0]}`);
  const v = get('Virtualized');
  if (v.startsWith('yes')) parts.push('virtualized');
  return parts.join(' · ');
}
