/**
 * Issue #9 item 7: an unknown benchmark answered only "benchmarks.0: Invalid input".
 * Unknown names now list the valid ones (benchmarks here; platforms via their enum).
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARK_IDS } from '../../src/shared/catalogue';
import { parseExperimentConfig } from '../../src/shared/config';
import { PLATFORM_IDS } from '../../src/shared/platforms';

function message(input: unknown): string {
  const r = parseExperimentConfig(input);
  return r.ok ? 'accepted' : r.message;
}

describe('unknown names list the valid ones', () => {
  it('an unknown benchmark, as a name or as an id, names the field and every benchmark', () => {
    for (const entry of ['linpak', { id: 'linpak', params: {} }]) {
      const m = message({ platforms: ['native'], benchmarks: ['syscall', entry] });
      expect(m).toMatch(/^benchmarks\.1: unknown benchmark "linpak": the benchmarks are /);
      for (const id of BENCHMARK_IDS) expect(m).toContain(id);
    }
  });

  it('an unknown platform names the field and every platform', () => {
    const m = message({ platforms: ['nativ'], benchmarks: ['syscall'] });
    expect(m).toMatch(/^platforms\.0: /);
    for (const id of PLATFORM_IDS) expect(m).toContain(`"${id}"`);
  });
});
