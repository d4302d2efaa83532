/**
 * A matrix cell whose ratio the load client bounded (shared/findings/loadCeiling.ts
 * clientBounds): the speed reads "at most 3× slower" / "at least 1.2× faster" and the word says
 * it is a bound, not a verdict; the note says who was at the client's ceiling.
 */
import type { ClientBound } from '../findings/loadCeiling';
import { speedText } from '../format';

/** The parts of a matrix cell (answer/matrix.ts AnswerCell) a bound changes. */
interface BoundableCell {
  benchmark: string;
  relative: number | null;
  speed: string;
  word: string;
  reason?: string;
}

export const BOUND_WORD = 'a bound, not a verdict';

/** "at most 3× slower" (the target may be faster) or "at least 3× slower" (it may be slower). */
export function boundSpeedText(relative: number | null, bound: ClientBound['bound']): string {
  const base = speedText(relative);
  if (relative === null || bound === 'both') return base;
  const mayBeFaster = bound === 'lower';
  const slower = relative < 1;
  return `${mayBeFaster === slower ? 'at most' : 'at least'} ${base}`;
}

/** The cell with its bound applied (unchanged when no bound names it). */
export function withBound<C extends BoundableCell>(
  cell: C,
  target: string,
  bounds: readonly ClientBound[],
): C {
  const b = bounds.find((x) => x.target === target && x.benchmark === cell.benchmark);
  if (!b || cell.relative === null) return cell;
  return {
    ...cell,
    speed: boundSpeedText(cell.relative, b.bound),
    word: BOUND_WORD,
    reason: b.note,
  };
}
