/**
 * Platforms or benchmarks the run skipped, with the reason preflight gave.
 * A missing KVM is said out loud here instead of being papered over by a
 * silent fallback to emulation (the seed study's QEMU ≈ KVM puzzle).
 */
import { CATALOGUE, type BenchmarkId } from '../catalogue';
import { PLATFORM_INFO, PlatformId } from '../platforms';
import type { FindingsInput } from './context';
import type { Finding } from './types';

export interface Skip {
  platform: PlatformId;
  benchmark?: BenchmarkId;
  reason: string;
}

export function readSkips(skipped: unknown): Skip[] {
  if (!Array.isArray(skipped)) return [];
  const out: Skip[] = [];
  for (const s of skipped as unknown[]) {
    if (typeof s !== 'object' || s === null) continue;
    const r = s as Record<string, unknown>;
    const platform = PlatformId.safeParse(r.platform);
    if (!platform.success || typeof r.reason !== 'string') continue;
    const skip: Skip = { platform: platform.data, reason: r.reason };
    if (typeof r.benchmark === 'string' && r.benchmark in CATALOGUE)
      skip.benchmark = r.benchmark as BenchmarkId;
    out.push(skip);
  }
  return out;
}

export function skippedCells({ skipped }: FindingsInput): Finding[] {
  return readSkips(skipped).map((s) => {
    const what = s.benchmark
      ? `${CATALOGUE[s.benchmark].title} on ${PLATFORM_INFO[s.platform].title}`
      : PLATFORM_INFO[s.platform].title;
    const kvmNote =
      PLATFORM_INFO[s.platform].accelerator === 'kvm' && !s.benchmark
        ? ' Benchvisor never falls back from KVM to emulation silently: a "KVM" column that looks like TCG elsewhere usually means exactly that fallback happened.'
        : '';
    return {
      id: `skipped:${s.platform}${s.benchmark ? `:${s.benchmark}` : ''}`,
      severity: s.benchmark ? ('info' as const) : ('warn' as const),
      kind: 'diagnostic' as const,
      title: `${what} was not run`,
      explanation: `${s.reason}.${kvmNote}`.replace(/\.\./g, '.'),
      numbers: {},
    };
  });
}
