/**
 * One plain line per row of the answer matrix: "QEMU TCG ran LINPACK 33× slower than Native
 * (30–36×): every guest instruction is translated by QEMU's TCG". The line names the row's most
 * telling cell: the largest decided difference, else a "same", else what cannot be told yet (and
 * what would settle it); the mechanism comes from the platform's traits (nothing here names a
 * platform).
 */
import { CATALOGUE, type BenchmarkId } from '../catalogue';
import { isFactor, speedText } from '../format';
import { PLATFORM_INFO, type PlatformId } from '../platforms';
import type { AnswerCell, AnswerMatrix, AnswerMatrixRow } from './matrix';
import { settleText } from './words';

/** Why a platform differs from the host, in one clause (empty for the host itself). */
export function mechanismOf(platform: PlatformId, benchmark: BenchmarkId): string {
  const info = PLATFORM_INFO[platform];
  const deviceBound = CATALOGUE[benchmark].traits.deviceBound;
  if (info.kind === 'container')
    return 'a container shares the host kernel and runs the same instructions, only under cgroup limits';
  if (info.kind !== 'vm') return '';
  if (info.accelerator === 'tcg') {
    const base = "every guest instruction is translated by QEMU's TCG (binary translation)";
    return info.libraryOs
      ? `${base}; the library OS answers system calls in the same address space`
      : base;
  }
  return deviceBound
    ? 'guest code runs on the CPU under KVM; its I/O goes through emulated or paravirtual devices and exits to the hypervisor'
    : 'guest code runs directly on the CPU under KVM (hardware virtualization); exits to the hypervisor cost time';
}

/** "33× slower", "with 12.8% more time", "2.4× faster", "with 4.8% less time" for a sentence. */
function sentenceSpeed(relative: number): string {
  if (isFactor(relative) || isFactor(1 / relative)) return speedText(relative);
  const extra = (1 / relative - 1) * 100;
  return `with ${Math.abs(extra).toFixed(1)}% ${extra > 0 ? 'more' : 'less'} time`;
}

/** The row's most telling cell (see the file comment). */
function tellingCell(cells: readonly AnswerCell[]): AnswerCell | null {
  const decided = cells.filter(
    (c) => (c.verdict === 'slower' || c.verdict === 'faster') && c.relative !== null,
  );
  if (decided.length > 0)
    return decided.reduce((a, b) =>
      Math.abs(Math.log(b.relative as number)) > Math.abs(Math.log(a.relative as number)) ? b : a,
    );
  return (
    cells.find((c) => c.verdict === 'same') ??
    cells.find((c) => c.verdict === 'inconclusive') ??
    cells.find((c) => c.verdict === 'too-few') ??
    null
  );
}

export interface LineOptions {
  /** Name the mechanism (a run against its reference); off for run against run. */
  mechanism: boolean;
  /** Said after the row's title ("" or " in the candidate"). */
  where: string;
  /** What a benchmark's timed part was, said after its line (timed.ts). */
  timed?: Partial<Record<BenchmarkId, string>>;
}

export function lineOf(
  r: AnswerMatrixRow,
  reference: string,
  opts: LineOptions = { mechanism: true, where: '' },
): string | null {
  const c = tellingCell(r.cells);
  if (!c) return null;
  const bench = CATALOGUE[c.benchmark].title;
  const who = r.row.title;
  const ci = c.interval ? ` (${c.interval})` : '';
  const m = opts.mechanism ? mechanismOf(r.row.platform, c.benchmark) : '';
  const mech = m ? `: ${m}` : '';
  const note = opts.timed?.[c.benchmark];
  const text = lineText(c, { who, bench, reference, ci, mech, where: opts.where });
  return note ? `${text} (${note})` : text;
}

function lineText(
  c: AnswerCell,
  w: { who: string; bench: string; reference: string; ci: string; mech: string; where: string },
): string {
  const { who, bench, reference, ci, mech, where } = w;
  switch (c.verdict) {
    case 'slower':
    case 'faster':
      return `${who} ran ${bench} ${sentenceSpeed(c.relative as number)}${where} than ${reference}${ci}${mech}`;
    case 'same':
      return `${who} ran ${bench} at the same speed${where} as ${reference}${ci}${mech}`;
    case 'inconclusive':
      return `${who}${where} vs ${reference} on ${bench}: cannot tell yet${ci}; ${settleText(c.moreRepetitions, c.moreUnit)}`;
    default:
      return `${who}${where} vs ${reference} on ${bench}: too few repetitions for a verdict (at least 2 per side)`;
  }
}

/** The factor in words for the overall summary: "5.2× slower overall (geometric mean of 4)". */
export function overallText(r: AnswerMatrixRow): string {
  if (r.overall === null) return '—';
  return speedText(r.overall);
}

export interface AnswerLine {
  key: string;
  text: string;
}

/**
 * One line per non-reference row that has something to say; `timed` (timedNotes of the run's
 * samples) says what a disk cell's timed part was.
 */
export function answerLines(
  m: AnswerMatrix,
  timed: Partial<Record<BenchmarkId, string>> = {},
): AnswerLine[] {
  if (!m.referenceTitle) return [];
  const ref = m.referenceTitle;
  return m.rows.flatMap((r) => {
    if (r.row.isReference) return [];
    const text = lineOf(r, ref, { mechanism: true, where: '', timed });
    return text ? [{ key: r.row.key, text }] : [];
  });
}
