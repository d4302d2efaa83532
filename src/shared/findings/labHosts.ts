/**
 * Across lab hosts (a comparison made by hosts/hostComparison.ts, environment.json `byHost`):
 * which recorded facts differ between the hosts — CPU model, cores, memory, kernel, governor,
 * mitigations, virtualized or not — and the largest gap each benchmark shows between the hosts
 * for the same target, so a difference between "lab1 · QEMU KVM" and "lab2 · QEMU KVM" is read
 * against what differs between the machines.
 */
import { metaOf } from '../sampleMeta/registry';
import type { FindingsInput } from './context';
import type { Finding } from './types';
import { targetWithoutHost } from '../targets';

type HostEnv = Record<string, unknown>;

/** The facts compared, each read defensively from a host's environment.json. */
const FACTS: readonly [string, (e: HostEnv) => unknown][] = [
  ['CPU', (e) => e.cpuModel],
  ['cores', (e) => e.cores],
  ['memory (MiB)', (e) => e.memoryMiB],
  ['kernel', (e) => e.kernel],
  ['governor', (e) => e.governor],
  [
    'virtualized',
    (e) => (e.hostVirtualized === undefined ? undefined : e.hostVirtualized ? 'yes' : 'no'),
  ],
  [
    'mitigations',
    (e) => {
      const v = (e.cpuFacts as { vulnerabilities?: unknown } | undefined)?.vulnerabilities;
      return v === undefined ? undefined : JSON.stringify(v);
    },
  ],
];

function byHost(environment: unknown): [string, HostEnv][] {
  const map = (environment as { byHost?: unknown } | null | undefined)?.byHost;
  if (typeof map !== 'object' || map === null) return [];
  return Object.entries(map as Record<string, unknown>).filter(
    (e): e is [string, HostEnv] => typeof e[1] === 'object' && e[1] !== null,
  );
}

/** Per benchmark and target: the largest ratio of means between two hosts. */
function largestGaps(input: FindingsInput): { text: string; ratio: number }[] {
  const groups = new Map<string, { host: string; mean: number }[]>();
  for (const c of input.summary.cells) {
    if (!c.main || c.mean === null || c.mean <= 0 || !c.target) continue;
    const sample = input.samples.find((s) => s.target === c.target);
    const host = sample && metaOf(sample.meta, 'host');
    if (host === undefined) continue;
    const key = `${c.benchmark}\u0000${targetWithoutHost(c.target)}`;
    groups.set(key, [...(groups.get(key) ?? []), { host, mean: c.mean }]);
  }
  const out: { text: string; ratio: number }[] = [];
  for (const [key, cells] of groups) {
    if (cells.length < 2) continue;
    const sorted = [...cells].sort((a, b) => a.mean - b.mean);
    const lo = sorted[0]!;
    const hi = sorted[sorted.length - 1]!;
    const [benchmark, target] = key.split('\u0000');
    out.push({
      text: `${benchmark} on ${target}: ${hi.host}'s mean is ${(hi.mean / lo.mean).toFixed(2)}× ${lo.host}'s`,
      ratio: hi.mean / lo.mean,
    });
  }
  return out.sort((a, b) => b.ratio - a.ratio);
}

export function hostDifferences(input: FindingsInput): Finding[] {
  const hosts = byHost(input.environment);
  if (hosts.length < 2) return [];
  const differing: string[] = [];
  const same: string[] = [];
  for (const [name, read] of FACTS) {
    const values = hosts.map(([, e]) => read(e));
    if (values.some((v) => v === undefined)) continue;
    if (new Set(values.map(String)).size > 1) {
      differing.push(
        `${name}: ${hosts.map(([h], i) => `${h} ${String(values[i]).slice(0, 80)}`).join(', ')}`,
      );
    } else same.push(name);
  }
  const gaps = largestGaps(input);
  const gapText = gaps.length
    ? ` Largest gaps: ${gaps
        .slice(0, 3)
        .map((g) => g.text)
        .join('; ')}.`
    : '';
  const names = hosts.map(([h]) => h).join(', ');
  const explanation = differing.length
    ? `The hosts differ in ${differing.join('; ')}. A gap between the same target on two hosts comes from these differences (and from each machine's load while it ran), not from the platform.${gapText}`
    : `The hosts' recorded facts are the same (${same.join(', ')}): a gap between the same target on two hosts is the machines' load or state at the time, not their hardware or kernel.${gapText}`;
  return [
    {
      id: 'host-differences',
      severity: 'info',
      kind: 'diagnostic',
      title: differing.length
        ? `Hosts ${names} differ in ${differing.map((d) => d.split(':')[0]).join(', ')}`
        : `Hosts ${names} have the same recorded facts`,
      explanation,
      numbers: {
        hosts: hosts.length,
        'largest gap (×)': gaps[0] ? Number(gaps[0].ratio.toFixed(3)) : null,
      },
    },
  ];
}
