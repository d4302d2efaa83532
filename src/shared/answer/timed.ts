/**
 * What a benchmark's timed part was, where that is not obvious from its name: the disk benchmark
 * times the overwrite after an untimed fill, unless the run asked for the first write ("Time the
 * first write", its --no-fill). The answer lines say it after a disk cell, so a qcow2 or
 * preallocation answer states what it measured.
 */
import { metaOf } from '../sampleMeta/registry';
import { BENCHMARK_IDS, CATALOGUE, type BenchmarkId } from '../catalogue';
import type { Sample } from '../sample';

/** Said after a disk cell's line. */
export const TIMED_OVERWRITE = 'timed: the overwrite after an untimed fill, so no allocation';
export const TIMED_FIRST_WRITE = 'timed: the first write to the target, allocation included';

/** Per benchmark the run measured that writes to the disk: what its timed part was. */
export function timedNotes(samples: readonly Sample[]): Partial<Record<BenchmarkId, string>> {
  const out: Partial<Record<BenchmarkId, string>> = {};
  for (const b of BENCHMARK_IDS) {
    if (CATALOGUE[b].diskSpaceParam === undefined) continue;
    const mine = samples.filter((s) => s.benchmark === b);
    if (mine.length === 0) continue;
    const first = mine.some((s) => metaOf(s.meta, 'params')?.firstWrite === 1);
    out[b] = first ? TIMED_FIRST_WRITE : TIMED_OVERWRITE;
  }
  return out;
}
