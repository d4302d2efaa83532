/** Benchmarks that write to the platform's disk: they name a size parameter in the catalogue. */
import { metaOf } from '../../sampleMeta/registry';
import { BENCHMARK_IDS, CATALOGUE, type BenchmarkId } from '../../catalogue';
import type { Sample } from '../../sample';

export const DISK_BENCHMARKS: readonly BenchmarkId[] = BENCHMARK_IDS.filter(
  (b) => CATALOGUE[b].diskSpaceParam !== undefined,
);

/** The benchmarks of this list that the run measured. */
export function measured(samples: readonly Sample[], list: readonly BenchmarkId[]): BenchmarkId[] {
  return list.filter((b) => samples.some((s) => s.benchmark === b));
}

/**
 * Benchvisor's disk benchmark fills its target once, untimed, then times an overwrite of the
 * same range (resources/bench/README.md), so first-write allocation is outside the timed part.
 */
export const UNTIMED_FILL =
  'The disk benchmark fills its target once, untimed, and then times an overwrite of the same range, so allocation on first write happens in the untimed fill; the timed writes land on allocated clusters.';

/** The same when the run asked for the first write to be timed (the benchmark's --no-fill). */
export const FIRST_WRITE_TIMED =
  'The disk benchmark ran without its untimed fill ("Time the first write"), so the timed write was the first to its target: allocation on first write (a qcow2 cluster with its L2 entry and refcount, a sparse file’s blocks) is inside the timed part.';

/** Did the run time the first write of this benchmark (its `firstWrite` switch on)? */
export function firstWriteTimed(samples: readonly Sample[], benchmark: BenchmarkId): boolean {
  return samples.some(
    (s) => s.benchmark === benchmark && metaOf(s.meta, 'params')?.firstWrite === 1,
  );
}
