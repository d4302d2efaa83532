/**
 * The nginx benchmark measures through a load client on the host. Two findings say when the
 * client, not the platform, set a figure:
 *  - near the ceiling: every nginx sample carries meta.loadCeiling, the throughput the same client
 *    reached with the same load against the host's own nginx on loopback, measured before the
 *    run's nginx repetitions. A platform at CEILING_FRACTION of it or more may be faster than its
 *    figure, and a ratio to native that involves it is a bound, not a verdict.
 *  - client CPU saturated: meta.loadCpu.clientPercent is the client's CPU over the load (one
 *    thread: 100% is all it can use); at CLIENT_CPU_SATURATED_PERCENT or more it was the limit.
 */
import type { z } from 'zod';
import type { LoadCeilingSchema, LoadCpuSchema } from '../sampleMeta/keys/loadKeys';
import { metaOf, type SampleMetaValue } from '../sampleMeta/registry';
import { CATALOGUE } from '../catalogue';
import { REFERENCE_PLATFORM } from '../platforms';
import type { Sample } from '../sample';
import { targetOf } from '../targets';
import { targetsIn, type FindingsInput, type RunTarget } from './context';
import type { Finding } from './types';

/** The client's throughput ceiling, measured against the host's nginx (sample meta.loadCeiling). */
export type LoadCeiling = z.infer<typeof LoadCeilingSchema>;
/** meta.loadCeiling: the ceiling, or why it could not be measured. */
export type LoadCeilingRecord = SampleMetaValue<'loadCeiling'>;
/** CPU of both sides during one repetition's load (sample meta.loadCpu), % of one CPU. */
export type LoadCpu = z.infer<typeof LoadCpuSchema>;

/** A figure at this fraction of the client's ceiling or above was limited by the client. */
export const CEILING_FRACTION = 0.8;
/** The client is one thread: this much of one CPU (mean over a target's repetitions) is saturated. */
export const CLIENT_CPU_SATURATED_PERCENT = 90;

const BENCH = 'nginx';

/** Said when a figure is above the ceiling: the host's own load moved between the two. */
const ABOVE_CEILING =
  'It is even above the ceiling: the host was busier while the ceiling was measured than during these repetitions (other processes share its CPUs), so the ceiling is itself only as steady as the host.';
/** Said for native: its path is the ceiling's (nginx on this host, loopback). */
const NATIVE_BY_CONSTRUCTION =
  'Native serves the same nginx over the same loopback as the ceiling, so it lands near it by construction: its figure is what this client can measure here, and the other targets are compared with that.';

/** meta.loadCeiling of a sample when it holds a measured ceiling. */
export function loadCeilingOf(s: Sample): LoadCeiling | null {
  const c = metaOf(s.meta, 'loadCeiling');
  return c && 'mbps' in c && c.mbps > 0 ? c : null;
}

/** meta.loadCpu of a sample when it was measured. */
export function loadCpuOf(s: Sample): LoadCpu | null {
  return metaOf(s.meta, 'loadCpu') ?? null;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

interface Near {
  target: RunTarget;
  /** Mean MB/s of the target's good nginx samples. */
  mbps: number;
  /** Mean ceiling those samples carried. */
  ceiling: number;
  fraction: number;
  n: number;
}

/** A target's good nginx samples with their ceiling; null when none carries one. */
function nearness(target: RunTarget, samples: readonly Sample[]): Near | null {
  const pairs = samples
    .filter((s) => s.benchmark === BENCH && targetOf(s) === target.id && s.value !== null)
    .flatMap((s) => {
      const c = loadCeilingOf(s);
      const mbps = s.metrics.mbps;
      return c && typeof mbps === 'number' ? [{ mbps, ceiling: c.mbps }] : [];
    });
  if (pairs.length === 0) return null;
  const mbps = mean(pairs.map((p) => p.mbps));
  const ceiling = mean(pairs.map((p) => p.ceiling));
  return { target, mbps, ceiling, fraction: mbps / ceiling, n: pairs.length };
}

/** What the ratio between a target and native means when one of them is at the ceiling. */
function boundText(t: Near, native: Near | null): { text: string; ratio: number | null } {
  if (native === null || native.target.id === t.target.id) return { text: '', ratio: null };
  const ratio = t.mbps / native.mbps;
  const nativeNear = native.fraction >= CEILING_FRACTION;
  const text = nativeNear
    ? `Native is at the ceiling too (${r1(native.fraction * 100)}%), so the throughput ratio to native (${r2(ratio)}×) only says that the difference is smaller than this client can show: a bound, not a verdict.`
    : `Its throughput ratio to native (${r2(ratio)}×) is a lower bound, not a verdict: ${t.target.title} may be faster than that.`;
  return { text, ratio: r2(ratio) };
}

/** Native's ratio text: the others' ratios to a native figure that the client limited. */
function nativeBoundText(native: Near, others: Near[]): string {
  const below = others.filter((o) => o.fraction < CEILING_FRACTION);
  if (below.length === 0) return '';
  const list = below.map((o) => `${o.target.title} ${r2(o.mbps / native.mbps)}×`).join(', ');
  return ` The other targets' throughput ratios to native (${list}) are upper bounds, not verdicts: native may be faster than its figure, so they may be further below it.`;
}

/** "The client limited this figure; the platform may be faster." */
export function clientLimited({ samples }: FindingsInput): Finding[] {
  const all = targetsIn(samples).flatMap((t) => nearness(t, samples) ?? []);
  const native = all.find((x) => x.target.platform === REFERENCE_PLATFORM) ?? null;
  const title = CATALOGUE[BENCH].title;
  return all
    .filter((x) => x.fraction >= CEILING_FRACTION)
    .map((x) => {
      const bound = boundText(x, native);
      const extra =
        x === native
          ? nativeBoundText(
              x,
              all.filter((o) => o !== x),
            )
          : '';
      return {
        id: `client-limited:${x.target.id}`,
        severity: 'warn' as const,
        kind: 'diagnostic' as const,
        title: `The load client limited ${x.target.title}'s ${title} figure (${r1(x.fraction * 100)}% of the client's ceiling)`,
        explanation:
          `Against the host's own nginx on loopback, with the same file, requests and connections, the load client reached ${r1(x.ceiling)} MB/s ` +
          `(its ceiling, measured before this run's ${title} repetitions); ${x.target.title} reached ${r1(x.mbps)} MB/s over ${x.n} repetitions, ` +
          `${r1(x.fraction * 100)}% of it (at ${CEILING_FRACTION * 100}% or more a figure is taken as limited by the client). ` +
          [
            `The client limited this figure; the platform may be faster.`,
            x.fraction > 1 ? ABOVE_CEILING : '',
            x === native ? NATIVE_BY_CONSTRUCTION : '',
            bound.text,
            extra.trim(),
          ]
            .filter((part) => part !== '')
            .join(' '),
        numbers: {
          'figure, MB/s': r1(x.mbps),
          'client ceiling, MB/s': r1(x.ceiling),
          'fraction of the ceiling': r2(x.fraction),
          threshold: CEILING_FRACTION,
          'throughput ratio to native (bound)': bound.ratio,
          repetitions: x.n,
        },
      };
    });
}

/** "The load client used a whole CPU during these repetitions." */
export function clientCpuSaturated({ samples }: FindingsInput): Finding[] {
  const out: Finding[] = [];
  const title = CATALOGUE[BENCH].title;
  for (const t of targetsIn(samples)) {
    const cpus = samples
      .filter((s) => s.benchmark === BENCH && targetOf(s) === t.id && s.value !== null)
      .flatMap((s) => loadCpuOf(s) ?? []);
    if (cpus.length === 0) continue;
    const client = mean(cpus.map((c) => c.clientPercent));
    if (client < CLIENT_CPU_SATURATED_PERCENT) continue;
    const servers = cpus.flatMap((c) => (c.serverPercent === null ? [] : [c.serverPercent]));
    const server = servers.length > 0 ? r1(mean(servers)) : null;
    out.push({
      id: `client-cpu:${t.id}`,
      severity: 'warn',
      kind: 'diagnostic',
      title: `The load client saturated a CPU during ${t.title}'s ${title} repetitions (${r1(client)}%)`,
      explanation:
        `The load client is one thread; it used on average ${r1(client)}% of one CPU while it loaded ${t.title} (${cpus.length} repetitions)` +
        `${server === null ? '' : `, the server side ${server}%`}. ` +
        `At ${CLIENT_CPU_SATURATED_PERCENT}% or more it cannot send or receive faster, so this figure shows the client's speed rather than the platform's: ` +
        'use larger files or fewer, longer requests, or a quieter host (the client and the server share its CPUs).',
      numbers: {
        'client CPU, mean % of one CPU': r1(client),
        'client CPU, max % of one CPU': r1(Math.max(...cpus.map((c) => c.clientPercent))),
        'server CPU, mean % of one CPU': server,
        threshold: CLIENT_CPU_SATURATED_PERCENT,
        repetitions: cpus.length,
      },
    });
  }
  return out;
}

/**
 * How the load client bounds a target's nginx ratio to the reference: 'lower' (the target was at
 * the client's ceiling: it may be faster than its ratio says), 'upper' (the reference was: the
 * target may be further behind), 'both' (both were: the ratio only says the difference is
 * smaller than the client can show).
 */
export type ClientBoundKind = 'lower' | 'upper' | 'both';
export interface ClientBound {
  target: string;
  benchmark: typeof BENCH;
  bound: ClientBoundKind;
  note: string;
}

/** The nginx cells whose ratio to the reference is a bound, not a verdict (answer matrix). */
export function clientBounds(
  samples: readonly Sample[],
  referenceTarget: string | null | undefined,
): ClientBound[] {
  const all = targetsIn(samples).flatMap((t) => nearness(t, samples) ?? []);
  const ref = all.find((x) => x.target.id === referenceTarget);
  if (!ref) return [];
  const refLimited = ref.fraction >= CEILING_FRACTION;
  return all.flatMap((x): ClientBound[] => {
    if (x === ref) return [];
    const limited = x.fraction >= CEILING_FRACTION;
    if (!limited && !refLimited) return [];
    const bound: ClientBoundKind = limited && refLimited ? 'both' : limited ? 'lower' : 'upper';
    const who =
      bound === 'both'
        ? `both ${x.target.title} (${r1(x.fraction * 100)}%) and ${ref.target.title} (${r1(ref.fraction * 100)}%) were`
        : bound === 'lower'
          ? `${x.target.title} was (${r1(x.fraction * 100)}%)`
          : `${ref.target.title} was (${r1(ref.fraction * 100)}%)`;
    return [
      {
        target: x.target.id,
        benchmark: BENCH,
        bound,
        note: `A bound, not a verdict: ${who} at the load client's ceiling (${r1(x.ceiling)} MB/s against the host's nginx).`,
      },
    ];
  });
}

/** Both rules, registered together in DIAGNOSTICS. */
export const LOAD_CLIENT_FINDINGS = [clientLimited, clientCpuSaturated];
