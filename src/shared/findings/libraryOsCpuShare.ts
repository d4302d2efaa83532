/**
 * A CPU-bound benchmark on the library OS against the Linux guest on the same accelerator: the
 * same compiled loop under the same emulator (or CPU), so ≈ 1× is expected (measured under TCG:
 * the same vCPU time per LINPACK repetition within 5%, ARCHITECTURE.md "Measured"). A clear gap
 * is explained from the data: results are wall-clock, and the share of a CPU the QEMU process
 * got (sample meta.hostCpu.runCpuPercent) changes with the host's load from one target to the
 * next. Said only when the gap is clear.
 */
import { benchmarksWith, CATALOGUE, type BenchmarkId } from '../catalogue';
import { targetOf } from '../targets';
import { ALPHA, compareCells, pText, relText } from './compare';
import { mainCellOf, round } from './context';
import type { FindingsInput, RunTarget } from './context';
import { hostCpuOf } from './hostNoise';
import type { Finding } from './types';

/** A speed ratio further from 1 than this (either way) is a gap worth explaining. */
export const SAME_WORK_MARGIN = 0.1;
/**
 * Per CPU share, within this of 1 the CPU share explains the gap. Wide, because the share is
 * measured over whole repetitions (a unikernel's boot and the benchmark's untimed set-up
 * included) while the metric covers only the timed part: per-share figures are rough.
 */
export const SHARE_EXPLAINS_MARGIN = 0.25;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median % of a CPU the run's own processes used during this target's repetitions of b. */
function runShare(input: FindingsInput, t: RunTarget, b: BenchmarkId): number | null {
  const shares = input.samples
    .filter((s) => targetOf(s) === t.id && s.benchmark === b)
    .map((s) => hostCpuOf(s)?.runCpuPercent)
    .filter((x): x is number => typeof x === 'number' && x > 0);
  return median(shares);
}

function sameWork(input: FindingsInput, u: RunTarget, l: RunTarget, b: BenchmarkId): Finding[] {
  const a = mainCellOf(input.summary, u.id, b);
  const g = mainCellOf(input.summary, l.id, b);
  if (!a || !g) return [];
  const c = compareCells(a, g);
  if (c.relative === null || c.p === null || c.p >= ALPHA) return [];
  if (Math.abs(Math.log(c.relative)) <= Math.log(1 + SAME_WORK_MARGIN)) return [];
  const title = CATALOGUE[b].title;
  const su = runShare(input, u, b);
  const sl = runShare(input, l, b);
  // Wall-clock speed is proportional to the CPU share a CPU-bound QEMU gets.
  const perShare = su !== null && sl !== null ? c.relative / (su / sl) : null;
  const expected = `${title} is user-space CPU work: ${u.title} and ${l.title} run the same compiled loop on the same accelerator, so about 1× is expected.`;
  let why: string;
  if (perShare === null)
    why =
      'No CPU share was recorded for these repetitions, so the host cannot be ruled out: run again on a quiet host.';
  else if (Math.abs(perShare - 1) <= SHARE_EXPLAINS_MARGIN)
    why = `The gap follows the CPU the QEMU process got: ${su!.toFixed(0)}% of a CPU during ${u.title}'s repetitions, ${sl!.toFixed(0)}% during ${l.title}'s (medians of meta.hostCpu.runCpuPercent). Results are wall-clock, so time spent waiting for a CPU counts; per CPU it got, ${u.title} ran at ${perShare.toFixed(2)}× of ${l.title}'s speed. This is the host's load changing between the two, not the operating system: run on a quiet host, or compare in interleaved repetitions. (The share covers whole repetitions, boot included, so this is approximate.)`;
  else
    why = `The CPU the QEMU process got (${su!.toFixed(0)}% vs ${sl!.toFixed(0)}% of a CPU) does not explain all of it: per CPU it got, ${u.title} ran at ${perShare.toFixed(2)}× of ${l.title}'s speed (roughly: the share covers whole repetitions, boot included). Besides the host, the guests differ in what else runs on the vCPU: the Linux guest's kernel takes timer interrupts and does background work (a few per cent of LINPACK under TCG when measured); the library OS runs nothing but the program.`;
  return [
    {
      id: `library-os:${u.id}:same-work:${b}`,
      severity: 'warn',
      kind: 'diagnostic',
      title: `${title}: ${u.title} at ${c.relative.toFixed(2)}× of ${l.title}, where the same instructions should run at the same speed`,
      explanation: `${expected} Here ${u.title} ran at ${relText(c)} of ${l.title}'s speed (${pText(c.p)}). ${why}`,
      numbers: {
        [`${u.id} mean`]: round(a.mean),
        [`${l.id} mean`]: round(g.mean),
        unit: a.unit,
        'relative speed': round(c.relative),
        [`${u.id} CPU share %`]: round(su),
        [`${l.id} CPU share %`]: round(sl),
        'relative speed per CPU share': round(perShare),
      },
    },
  ];
}

/** For every CPU-bound benchmark (catalogue trait cpuBound). */
export function sameWorkFindings(input: FindingsInput, u: RunTarget, l: RunTarget): Finding[] {
  return benchmarksWith('cpuBound').flatMap((b) => sameWork(input, u, l, b));
}
