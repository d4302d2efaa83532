/**
 * The one check every platform's supports() uses: a binary benchmark needs its
 * built binary (every platform runs or copies it from the host's build
 * folder); any other benchmark asks its runner what the host must have (a
 * service program). Nothing here names a benchmark.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { Availability, Capability } from '../../shared/platforms';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform } from './platform';

export const BUILD_FIX =
  'run "npm run build:bench" (needs a C compiler and static libc: apt-get install build-essential)';

export interface SupportDeps {
  benchBinDir: string;
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function benchmarkSupport(
  benchmark: BenchmarkId,
  deps: SupportDeps,
): Promise<Availability> {
  if (CATALOGUE[benchmark].binary) {
    const path = join(deps.benchBinDir, benchmark);
    return (await executable(path))
      ? { available: true }
      : { available: false, reason: `${path} is not built`, fix: BUILD_FIX };
  }
  const runner = deps.runners?.[benchmark];
  if (!runner)
    return {
      available: false,
      reason: `the ${benchmark} benchmark module is not present in this build`,
    };
  return runner.check ? runner.check() : { available: true };
}

/**
 * Why a benchmark needing `requires` is not applicable on the platform (a
 * capability it lacks), or null when it is. Uses the platform's own words
 * for a missing capability where it gives them.
 */
export function notApplicableReason(
  platform: Pick<Platform, 'id' | 'capabilities' | 'lacking'>,
  requires: readonly Capability[],
): string | null {
  const missing = requires.filter((c) => !platform.capabilities.includes(c));
  if (missing.length === 0) return null;
  const why = missing.map((c) => platform.lacking?.[c]).filter((w): w is string => !!w);
  return why.length === missing.length
    ? `not applicable: ${why.join('; ')}`
    : `not applicable: ${platform.id} lacks ${missing.join(', ')}`;
}
