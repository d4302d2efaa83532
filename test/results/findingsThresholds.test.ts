/**
 * The findings' thresholds at their boundaries, on constructed samples (never on measurements):
 * KVM_MIN_SPEEDUP_OVER_TCG, HIGH_CV_PERCENT, and "Docker ≈ native" exactly while the speed
 * ratio's 95% interval contains 1.
 */
import { describe, expect, it } from 'vitest';
import {
  computeFindings,
  HIGH_CV_PERCENT,
  KVM_MIN_SPEEDUP_OVER_TCG,
} from '../../src/shared/findings';
import type { Finding } from '../../src/shared/findings';
import { compareCells } from '../../src/shared/findings/compare';
import { mainCellOf } from '../../src/shared/findings/context';
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { PlatformId } from '../../src/shared/platforms';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

const findings = (samples: Sample[]): Finding[] =>
  computeFindings({ samples, summary: summarize(samples) });
const ids = (fs: Finding[]) => fs.map((f) => f.id);

/** Samples with exactly these values. */
function samplesOf(
  platform: PlatformId,
  benchmark: BenchmarkId,
  values: number[],
  meta: Record<string, unknown> = {},
): Sample[] {
  return cellSamples(platform, benchmark, 1, { n: values.length, meta }).map((s, i) => ({
    ...s,
    value: values[i]!,
    metrics: { [s.metric]: values[i]! },
  }));
}

describe(`KVM not clearly faster than TCG (threshold ${KVM_MIN_SPEEDUP_OVER_TCG}×)`, () => {
  // Both cells carry the same relative wobble, so the speed ratio is exactly the factor below
  // (scaling by a power of two is exact in floating point).
  const pair = (b: BenchmarkId, tcg: number, kvm: number) =>
    findings([
      ...cellSamples('qemu-tcg', b, tcg, { meta: { kvmEnabled: false } }),
      ...cellSamples('qemu-kvm', b, kvm, { meta: { kvmEnabled: true } }),
    ]);

  it('higher is better (linpack): exactly 2× is quiet, just below is a problem', () => {
    expect(ids(pair('linpack', 32_768, 65_536))).not.toContain('tcg-kvm:linpack');
    const below = pair('linpack', 32_768, 65_536 * 0.999).find((f) => f.id === 'tcg-kvm:linpack');
    expect(below?.severity).toBe('problem');
    expect(below?.numbers['KVM speed / TCG speed']).toBeCloseTo(1.998, 3);
    expect(below?.numbers['expected at least']).toBe(KVM_MIN_SPEEDUP_OVER_TCG);
  });

  it('lower is better (memsweep seconds): half the time is quiet, a little more is a problem', () => {
    expect(ids(pair('memsweep', 128, 64))).not.toContain('tcg-kvm:memsweep');
    expect(ids(pair('memsweep', 128, 64 * 1.001))).toContain('tcg-kvm:memsweep');
  });

  it('does not apply to device-bound benchmarks (diskwrite)', () => {
    expect(ids(pair('diskwrite', 100, 100))).not.toContain('tcg-kvm:diskwrite');
  });
});

describe(`high CV (above ${HIGH_CV_PERCENT}%)`, () => {
  /** Four values m(1±d), alternating: sample sd = m·d·√(4/3), so CV = d·√(4/3)·100 %. */
  const withCv = (cvPercent: number) => {
    const d = cvPercent / 100 / Math.sqrt(4 / 3);
    return samplesOf('docker', 'syscall', [
      100 * (1 + d),
      100 * (1 - d),
      100 * (1 + d),
      100 * (1 - d),
    ]);
  };

  it('the constructed cells have the CV they claim', () => {
    const cell = summarize(withCv(HIGH_CV_PERCENT - 0.01)).cells.find((c) => c.main)!;
    expect(cell.cvPercent).toBeCloseTo(HIGH_CV_PERCENT - 0.01, 6);
  });

  it('just below the threshold is quiet, just above is a warning', () => {
    expect(ids(findings(withCv(HIGH_CV_PERCENT - 0.01)))).not.toContain('high-cv:docker:syscall');
    const f = findings(withCv(HIGH_CV_PERCENT + 0.01)).find(
      (x) => x.id === 'high-cv:docker:syscall',
    );
    expect(f?.severity).toBe('warn');
    expect(f?.numbers['CV %']).toBeCloseTo(HIGH_CV_PERCENT + 0.01, 2);
  });
});

describe('Docker ≈ native: exactly while the interval of the speed ratio contains 1', () => {
  const native = cellSamples('native', 'linpack', 1_000_000);
  /** Docker at `factor` × native, same relative wobble: its interval is factor × the base one. */
  const docker = (factor: number) => cellSamples('docker', 'linpack', 1_000_000 * factor);
  const at = (factor: number) => {
    const samples = [...native, ...docker(factor)];
    const summary = summarize(samples);
    const c = compareCells(
      mainCellOf(summary, 'docker', 'linpack')!,
      mainCellOf(summary, 'native', 'linpack')!,
    );
    const f = computeFindings({ samples, summary }).find((x) => x.id === 'docker-native:linpack');
    return { c, f };
  };
  // The interval at factor 1; it scales with the factor, so 1 / low is where it stops containing 1.
  const base = at(1).c;

  it('the base interval straddles 1 (the construction is what the boundary assumes)', () => {
    expect(base.low).not.toBeNull();
    expect(base.low!).toBeLessThan(1);
    expect(base.high!).toBeGreaterThan(1);
    expect(at(1).f?.severity).toBe('info');
  });

  it('faster docker: the finding holds while low ≤ 1 and is gone once low > 1', () => {
    const edge = 1 / base.low!;
    const inside = at(edge * 0.999);
    expect(inside.c.low!).toBeLessThanOrEqual(1);
    expect(inside.f).toBeDefined();
    const outside = at(edge * 1.001);
    expect(outside.c.low!).toBeGreaterThan(1);
    expect(outside.f).toBeUndefined();
  });

  it('slower docker: the finding holds while high ≥ 1 and is gone once high < 1', () => {
    const edge = 1 / base.high!;
    const inside = at(edge * 1.001);
    expect(inside.c.high!).toBeGreaterThanOrEqual(1);
    expect(inside.f).toBeDefined();
    const outside = at(edge * 0.999);
    expect(outside.c.high!).toBeLessThan(1);
    expect(outside.f).toBeUndefined();
  });
});
