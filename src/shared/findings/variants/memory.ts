/**
 * Memory size: more memory against less, on every benchmark measured — it matters only where
 * the working set nears the limit, and the verdict says where that was the case.
 */
import { BENCHMARK_IDS } from '../../catalogue';
import { PLATFORM_INFO } from '../../platforms';
import type { FindingsInput } from '../context';
import type { Finding } from '../types';
import { measured } from './diskBenchmarks';
import { variantEffect, type Mechanism } from './effect';
import { variantPairs, type VariantPair } from './pairs';

function mechanism(pair: VariantPair): Mechanism {
  const limit =
    PLATFORM_INFO[pair.a.platform].kind === 'container'
      ? 'A container’s memory limit is its cgroup’s memory.max: near it the kernel reclaims the container’s page cache and, beyond it, kills the process.'
      : 'A guest’s memory is all it has: its kernel, page cache and the benchmark share it, and near the limit the guest kernel reclaims page cache or fails allocations (our guests have no swap).';
  return {
    better: `The smaller shape was under memory pressure: reclaim and page faults ran inside the timed part, which the larger one did not need.`,
    worse:
      'More memory should not slow a benchmark down; a larger guest costs the host more to back (its page tables and, under TCG, the translation of a larger address space), or the difference is the host’s noise. Repeat the run to see whether it holds.',
    same: 'The benchmark’s working set, with the kernel and page cache, fit comfortably in both sizes, so the extra memory was never used.',
    how: `How they differ: memory changes a benchmark only when its working set approaches the limit. ${limit}`,
  };
}

const moreFirst = (x: string | number, y: string | number): boolean => Number(x) > Number(y);

export function memoryEffects(input: FindingsInput): Finding[] {
  const benchmarks = measured(input.samples, BENCHMARK_IDS);
  return variantPairs(input.samples, 'memoryMiB', moreFirst).flatMap((pair) =>
    benchmarks.flatMap((b) => variantEffect(input, pair, b, mechanism(pair))),
  );
}
