/** Progress bookkeeping and the ETA estimate for a run, per target × benchmark. */
import type { BenchmarkId } from '../../shared/catalogue';

interface CellCount {
  /** Target id (the platform id when nothing varies). */
  target: string;
  benchmark: BenchmarkId;
  total: number;
  done: number;
  durations: number[];
}

const key = (target: string, b: string): string => `${target}/${b}`;

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Counts repetitions (warmups included) per cell. The ETA uses, for each
 * remaining repetition, the mean duration of its own cell, else of the same
 * benchmark on any target, else of every repetition so far.
 */
export class ProgressTracker {
  private readonly cells = new Map<string, CellCount>();

  add(target: string, benchmark: BenchmarkId, total: number): void {
    this.cells.set(key(target, benchmark), {
      target,
      benchmark,
      total,
      done: 0,
      durations: [],
    });
  }

  private cell(target: string, benchmark: BenchmarkId): CellCount {
    const c = this.cells.get(key(target, benchmark));
    if (!c) throw new Error(`unknown cell ${target}/${benchmark}`);
    return c;
  }

  /** One repetition finished; `durationMs` null when it did not measure anything useful. */
  repDone(target: string, benchmark: BenchmarkId, durationMs: number | null): void {
    const c = this.cell(target, benchmark);
    c.done++;
    if (durationMs !== null) c.durations.push(durationMs);
  }

  /** The cell ended (early stop, failure): its remaining repetitions are no longer expected. */
  finishCell(target: string, benchmark: BenchmarkId): void {
    const c = this.cell(target, benchmark);
    c.total = c.done;
  }

  get done(): number {
    let n = 0;
    for (const c of this.cells.values()) n += c.done;
    return n;
  }

  get total(): number {
    let n = 0;
    for (const c of this.cells.values()) n += c.total;
    return n;
  }

  /** Repetitions done and expected per target (two targets of one platform count apart). */
  perTarget(): Record<string, { done: number; total: number }> {
    const out: Record<string, { done: number; total: number }> = {};
    for (const c of this.cells.values()) {
      const e = (out[c.target] ??= { done: 0, total: 0 });
      e.done += c.done;
      e.total += c.total;
    }
    return out;
  }

  /** Milliseconds left, or null before any repetition finished. */
  etaMs(): number | null {
    const all = [...this.cells.values()];
    const overall = mean(all.flatMap((c) => c.durations));
    if (overall === null) return null;
    let eta = 0;
    for (const c of all) {
      const remaining = c.total - c.done;
      if (remaining <= 0) continue;
      const sameBench = mean(
        all.filter((o) => o.benchmark === c.benchmark).flatMap((o) => o.durations),
      );
      eta += remaining * (mean(c.durations) ?? sameBench ?? overall);
    }
    return Math.round(eta);
  }
}
