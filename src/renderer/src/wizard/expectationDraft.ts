/**
 * The expectation being typed in the wizard, turned into a config Expectation (validated with
 * the shared schema) or a specific message saying what is missing.
 */
import { CATALOGUE } from '../../../shared/catalogue';
import type { BenchmarkId } from '../../../shared/catalogue';
import { ExpectationSchema } from '../../../shared/config';
import type { Expectation } from '../../../shared/config';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';

export type ExpectationKind = Expectation['kind'];

export interface ExpectationDraft {
  kind: ExpectationKind;
  benchmark: BenchmarkId;
  a: PlatformId;
  b: PlatformId;
  /** Tolerance for "approx" in percent (null while the field is empty or invalid). */
  withinPercent: number | null;
  /** Ranking slots, fastest first; '' is an unused slot. */
  order: (PlatformId | '')[];
}

export const KIND_LABELS: Record<ExpectationKind, string> = {
  approx: 'A ≈ B within X%',
  faster: 'A faster than B',
  ranking: 'Ranking (fastest first)',
};

export type DraftCheck = { ok: true; expectation: Expectation } | { ok: false; message: string };

export function draftToExpectation(d: ExpectationDraft): DraftCheck {
  let candidate: unknown;
  if (d.kind === 'ranking') {
    const order = d.order.filter((p): p is PlatformId => p !== '');
    if (order.length < 2) return { ok: false, message: 'rank at least two platforms' };
    if (new Set(order).size !== order.length)
      return { ok: false, message: 'a platform appears twice in the ranking' };
    candidate = { kind: 'ranking', benchmark: d.benchmark, order };
  } else {
    if (d.a === d.b) return { ok: false, message: 'choose two different platforms for A and B' };
    if (d.kind === 'approx') {
      if (d.withinPercent === null) return { ok: false, message: 'enter the tolerance in %' };
      candidate = {
        kind: 'approx',
        benchmark: d.benchmark,
        a: d.a,
        b: d.b,
        withinPercent: d.withinPercent,
      };
    } else candidate = { kind: 'faster', benchmark: d.benchmark, a: d.a, b: d.b };
  }
  const parsed = ExpectationSchema.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, expectation: parsed.data };
}

/** One line in the user's words, e.g. "Native ≈ Docker within 5% on Linpack". */
export function describeExpectation(e: Expectation): string {
  const t = (p: PlatformId): string => PLATFORM_INFO[p].title;
  const bench = CATALOGUE[e.benchmark].title;
  switch (e.kind) {
    case 'approx':
      return `${t(e.a)} ≈ ${t(e.b)} within ${e.withinPercent}% on ${bench}`;
    case 'faster':
      return `${t(e.a)} faster than ${t(e.b)} on ${bench}`;
    case 'ranking':
      return `${bench}: ${e.order.map(t).join(' > ')}`;
  }
}
