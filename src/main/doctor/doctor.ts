/**
 * The doctor: per platform and benchmark, available or not, why, and how to fix.
 */
import type { BenchmarkDef, BenchmarkId } from '../../shared/catalogue';
import {
  PLATFORM_INFO,
  PlatformId,
  type Availability,
  type DoctorPlatform,
  type DoctorReport,
} from '../../shared/platforms';
import type { Platform } from '../platforms/platform';
import { notApplicableReason } from '../platforms/support';

async function safely(f: () => Promise<Availability>): Promise<Availability> {
  try {
    return await f();
  } catch (e) {
    return {
      available: false,
      reason: `check failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Checks one platform: its own availability, then each benchmark on it. */
export async function checkPlatform(
  platform: Platform,
  catalogue: Record<BenchmarkId, BenchmarkDef>,
): Promise<DoctorPlatform> {
  const availability = await safely(() => platform.probe());
  const benchmarks: Record<string, Availability> = {};
  for (const def of Object.values(catalogue)) {
    const notApplicable = notApplicableReason(platform, def.requires);
    if (notApplicable !== null) {
      benchmarks[def.id] = { available: false, reason: notApplicable };
    } else if (!availability.available) {
      benchmarks[def.id] = {
        available: false,
        reason: `the platform is unavailable: ${availability.reason ?? 'unknown reason'}`,
      };
      if (availability.fix) benchmarks[def.id]!.fix = availability.fix;
    } else {
      benchmarks[def.id] = await safely(() => platform.supports(def.id));
    }
  }
  return { id: platform.id, title: PLATFORM_INFO[platform.id].title, availability, benchmarks };
}

/**
 * Every known platform id gets an entry, in the canonical order; ids with no
 * registered implementation are reported as not built into this engine.
 */
export async function buildDoctorReport(
  platforms: readonly Platform[],
  catalogue: Record<BenchmarkId, BenchmarkDef>,
  now: Date = new Date(),
): Promise<DoctorReport> {
  const entries = await Promise.all(
    PlatformId.options.map(async (id): Promise<DoctorPlatform> => {
      const platform = platforms.find((p) => p.id === id);
      if (platform) return checkPlatform(platform, catalogue);
      const reason = `the ${id} platform is not built into this engine`;
      const benchmarks: Record<string, Availability> = {};
      for (const def of Object.values(catalogue)) benchmarks[def.id] = { available: false, reason };
      return {
        id,
        title: PLATFORM_INFO[id].title,
        availability: { available: false, reason },
        benchmarks,
      };
    }),
  );
  return { checkedAt: now.toISOString(), platforms: entries };
}
