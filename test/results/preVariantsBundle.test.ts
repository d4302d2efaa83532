/**
 * A bundle written before variants existed (#12): its config has one guest shape and no
 * `variants`, its samples carry no target (neither `target` nor `meta.target`). It must still
 * import, read, summarise by platform, give findings and export again with the course-style
 * CSV named by platform — nothing in it is rewritten or lost.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/store/runStore';
import { exportBundle, importBundle } from '../../src/main/export';
import { computeFindings } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';
import { craftZip } from './zipCraft';

const RUN_ID = '20260301-120000-0ld0bund';
const root = mkdtempSync(join(tmpdir(), 'bv-prevariants-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The samples as a pre-variants engine wrote them: guest shape in meta, no target anywhere. */
function oldSamples() {
  const strip = (s: ReturnType<typeof cellSamples>[number]) => {
    const { target: _target, ...rest } = s as typeof s & { target?: string };
    const { target: _t, targetLabel: _l, ...meta } = rest.meta as Record<string, unknown>;
    return { ...rest, meta };
  };
  return [
    ...cellSamples('native', 'diskwrite', 400, { runId: RUN_ID }),
    ...cellSamples('qemu-tcg', 'diskwrite', 100, {
      runId: RUN_ID,
      meta: { diskFormat: 'qcow2', cacheMode: 'none', vcpus: 1, memoryMiB: 512, accel: 'tcg' },
    }),
  ].map(strip);
}

const OLD_CONFIG = {
  name: 'before variants',
  platforms: ['native', 'qemu-tcg'],
  benchmarks: ['diskwrite'],
  profile: 'quick',
  guest: { vcpus: 1, memoryMiB: 512, diskFormat: 'qcow2', cacheMode: 'none' },
  repetitions: { count: 5, warmup: 1 },
};

describe('a bundle from before variants', () => {
  it('imports, reads by platform, gives findings and exports again', async () => {
    const samples = oldSamples();
    expect(samples.every((s) => !('target' in s) && !('target' in s.meta))).toBe(true);
    const zip = craftZip([
      {
        name: 'experiment.json',
        data: JSON.stringify({
          runId: RUN_ID,
          startedAt: '2026-03-01T12:00:00Z',
          finishedAt: '2026-03-01T12:05:00Z',
          status: 'completed',
          config: OLD_CONFIG,
        }),
      },
      { name: 'samples.ndjson', data: samples.map((s) => JSON.stringify(s)).join('\n') + '\n' },
      { name: 'consoles/qemu-tcg.log', data: 'guest console of the old run\n' },
    ]);
    const runsDir = join(root, 'runs');
    const res = await importBundle(zip, { runsDir });
    expect(res).toMatchObject({ runId: RUN_ID, samples: samples.length });

    const detail = new RunStore({ runsDir }).get(RUN_ID);
    expect(detail.samples).toHaveLength(samples.length);
    expect(readFileSync(join(res.dir, 'consoles', 'qemu-tcg.log'), 'utf8')).toBe(
      'guest console of the old run\n',
    );

    // One cell per platform, the platform is its own target, native the reference.
    const summary = summarize(detail.samples);
    const main = summary.cells.filter((c) => c.main);
    expect(main.map((c) => c.target ?? c.platform)).toEqual(['native', 'qemu-tcg']);
    const tcgMain = main.find((c) => c.platform === 'qemu-tcg')!;
    const ratio = summary.ratios.find(
      (r) => r.platform === 'qemu-tcg' && r.metric === tcgMain.metric,
    );
    expect(ratio?.reference).toBe('native');
    expect(ratio?.ratio).toBeCloseTo(0.25, 1);

    // Findings read the old config (one guest shape) without a variant finding.
    const findings = computeFindings({ samples: detail.samples, summary, config: OLD_CONFIG });
    expect(findings.some((f) => f.id.startsWith('variant-'))).toBe(false);

    // Export again: the course-style CSV keeps the platform names.
    const out = join(root, 'again.zip');
    const { entries: names } = await exportBundle(new RunStore({ runsDir }), RUN_ID, out);
    expect(names).toEqual(
      expect.arrayContaining(['csv/native-diskwrite.csv', 'csv/qemu-tcg-diskwrite.csv']),
    );
    expect(names.some((n) => /csv\/qemu-tcg\.[^/]*-diskwrite\.csv$/.test(n))).toBe(false);
  });
});
