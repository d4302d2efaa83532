/** Constructed samples of runs with variants: a platform's cell as one target with its shape in meta. */
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { PlatformId } from '../../src/shared/platforms';
import type { Sample } from '../../src/shared/sample';
import { targetLabelOf } from '../../src/shared/targets';
import { cellSamples } from './fixtures';

/** The samples of one target: `shape` is the resolved variant fields it records in meta. */
export function targetCell(
  platform: PlatformId,
  target: string,
  benchmark: BenchmarkId,
  base: number,
  shape: Record<string, string | number>,
  opts: { spread?: number; n?: number; meta?: Record<string, unknown> } = {},
): Sample[] {
  return cellSamples(platform, benchmark, base, opts).map((s) => ({
    ...s,
    target,
    meta: {
      ...s.meta,
      ...opts.meta,
      ...shape,
      target,
      targetLabel: targetLabelOf(platform, target),
    },
  }));
}
