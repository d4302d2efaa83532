/**
 * The expectation being typed in the wizard, turned into a config Expectation (validated with
 * the shared schema) or a specific message saying what is missing. A and B (and ranking slots)
 * name a platform or, in an experiment with variants, one target ("qemu-tcg.qcow2").
 */
import { CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import { PLATFORM_INFO, type PlatformId } from '../../../shared/platforms';
import { ExpectationSchema } from '../../../shared/config';
import type { Expectation } from '../../../shared/config';
import { describeExpectation as describeShared } from '../../../shared/findings/expectationText';

export type ExpectationKind = Expectation['kind'];

export interface ExpectationDraft {
  kind: ExpectationKind;
  benchmark: BenchmarkId;
  /** A platform id or a target id. */
  a: string;
  b: string;
  /** Tolerance for "approx" in percent (null while the field is empty or invalid). */
  withinPercent: number | null;
  /** "by at least X%" for faster/slower (null: no margin, a significant difference is enough). */
  marginPercent?: number | null;
  /** Ranking slots, fastest first; '' is an unused slot. */
  order: string[];
}

export const KIND_LABELS: Record<ExpectationKind, string> = {
  approx: 'A ≈ B within X%',
  faster: 'A faster than B (by at least X%)',
  slower: 'A slower than B (by at least X%)',
  ranking: 'Ranking (fastest first)',
};

export type DraftCheck = { ok: true; expectation: Expectation } | { ok: false; message: string };

export function draftToExpectation(d: ExpectationDraft): DraftCheck {
  let candidate: unknown;
  if (d.kind === 'ranking') {
    const order = d.order.filter((p) => p !== '');
    if (order.length < 2) return { ok: false, message: 'rank at least two platforms or targets' };
    if (new Set(order).size !== order.length)
      return { ok: false, message: 'a platform or target appears twice in the ranking' };
    candidate = { kind: 'ranking', benchmark: d.benchmark, order };
  } else {
    if (d.a === d.b)
      return { ok: false, message: 'choose two different platforms or targets for A and B' };
    if (d.kind === 'approx') {
      if (d.withinPercent === null) return { ok: false, message: 'enter the tolerance in %' };
      candidate = {
        kind: 'approx',
        benchmark: d.benchmark,
        a: d.a,
        b: d.b,
        withinPercent: d.withinPercent,
      };
    } else
      candidate = {
        kind: d.kind,
        benchmark: d.benchmark,
        a: d.a,
        b: d.b,
        ...(d.marginPercent != null ? { byAtLeastPercent: d.marginPercent } : {}),
      };
  }
  const parsed = ExpectationSchema.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, expectation: parsed.data };
}

/** One line in the user's words, e.g. "Native ≈ Docker within 5% on Linpack" (shared with the findings). */
export const describeExpectation = describeShared;

/** What the experiment in the wizard measures, for checking expectations against it. */
export interface ExperimentSubjects {
  /** Target ids of the experiment (the platform ids where nothing varies). */
  targets: readonly string[];
  platforms: readonly PlatformId[];
  benchmarks: readonly BenchmarkId[];
}

/**
 * Why an expectation cannot be checked by this experiment (it names a platform or target that is
 * not in it, or a benchmark that is not selected), or null when it can. An expectation kept from
 * an earlier experiment is said to be stale on the review, not left to end as "cannot check".
 */
export function uncheckableReason(e: Expectation, run: ExperimentSubjects): string | null {
  const subjects = e.kind === 'ranking' ? e.order : [e.a, e.b];
  const missing = subjects.filter(
    (s) => !run.targets.includes(s) && !(run.platforms as readonly string[]).includes(s),
  );
  const problems = missing.map(
    (s) => `${s in PLATFORM_INFO ? PLATFORM_INFO[s as PlatformId].title : s} is not in this run`,
  );
  if (!run.benchmarks.includes(e.benchmark))
    problems.push(`${CATALOGUE[e.benchmark].title} is not selected`);
  return problems.length > 0 ? problems.join('; ') : null;
}
