/**
 * Results of a run with variants, on constructed samples: the summary groups by
 * target (never mixes raw with qcow2), any target can be the reference ("qcow2
 * relative to raw"), CSV has the target and variant columns, the course layout has
 * one file per target, run-vs-run comparison pairs target with target, and samples
 * from before variants (no target) read as their platform.
 */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { compareRuns } from '../../src/shared/stats/compareRuns';
import { classicCsvFiles, samplesCsv, summaryCsv } from '../../src/main/export/csv';
import { reportTables } from '../../src/main/export/reportTables';
import { cellSamples } from './fixtures';

function asTarget(samples: Sample[], target: string, meta: Record<string, unknown>): Sample[] {
  return samples.map((s) => ({ ...s, target, meta: { ...s.meta, target, ...meta } }));
}

const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';
/** raw writes at 100 MB/s, qcow2 at 80 MB/s (20% slower), tight spread. */
function variantRun(runId = 'run-v'): Sample[] {
  return [
    ...cellSamples('native', 'diskwrite', 400, { runId }),
    ...asTarget(cellSamples('qemu-tcg', 'diskwrite', 100, { runId }), RAW, {
      diskFormat: 'raw',
      targetLabel: 'QEMU TCG · raw',
    }),
    ...asTarget(cellSamples('qemu-tcg', 'diskwrite', 80, { runId }), QCOW, {
      diskFormat: 'qcow2',
      targetLabel: 'QEMU TCG · qcow2',
    }),
  ];
}

describe('results of a run with variants', () => {
  it('summarises each target on its own; native is the default reference', () => {
    const s = summarize(variantRun());
    const main = s.cells.filter((c) => c.main);
    expect(main.map((c) => [c.target, c.n, Math.round(c.mean!)])).toEqual([
      ['native', 5, 400],
      [RAW, 5, 100],
      [QCOW, 5, 80],
    ]);
    expect(s.referenceTarget).toBe('native');
    const r = s.ratios.find((x) => x.target === QCOW && x.metric === 'mbps');
    expect(r?.relative).toBeCloseTo(0.2, 2);
  });

  it('takes any target as the reference: qcow2 relative to raw', () => {
    const s = summarize(variantRun(), { reference: RAW });
    expect(s.reference).toBe('qemu-tcg');
    expect(s.referenceTarget).toBe(RAW);
    const r = s.ratios.find((x) => x.target === QCOW && x.metric === 'mbps');
    expect(r?.referenceTarget).toBe(RAW);
    expect(r?.relative).toBeCloseTo(0.8, 2);
    expect(r?.relativeHigh).toBeLessThan(1); // clearly slower, not noise
    // The report table labels rows by target and marks the chosen reference.
    const [table] = reportTables({ summary: s });
    expect(table!.rows.map((row) => [row.platform, row.relative])).toEqual([
      ['Native', expect.any(String)],
      ['QEMU TCG · raw', '1 (reference)'],
      ['QEMU TCG · qcow2', expect.stringMatching(/^0\.8/)],
    ]);
  });

  it('CSV: target and variant columns; the course layout has one file per target', () => {
    const samples = variantRun();
    const lines = samplesCsv(samples).trim().split('\n');
    const header = lines[0]!.split(',');
    for (const col of [
      'target',
      'targetLabel',
      'diskFormat',
      'cacheMode',
      'preallocation',
      'network',
      'diskOn',
    ])
      expect(header).toContain(col);
    const qcowRow = lines.find((l) => l.includes(`,${QCOW},`))!.split(',');
    expect(qcowRow[header.indexOf('diskFormat')]).toBe('qcow2');
    expect(classicCsvFiles(samples).map((f) => f.name)).toEqual([
      'native-diskwrite.csv',
      `${RAW}-diskwrite.csv`,
      `${QCOW}-diskwrite.csv`,
    ]);
    const summary = summaryCsv(summarize(samples, { reference: RAW }))
      .trim()
      .split('\n');
    const sh = summary[0]!.split(',');
    const qcowMain = summary.find((l) => l.includes(`,${QCOW},diskwrite,mbps,`))!.split(',');
    expect(qcowMain[sh.indexOf('reference')]).toBe(RAW);
  });

  it('samples from before variants (no target) group and export by platform as before', () => {
    const old = [...cellSamples('native', 'syscall', 50), ...cellSamples('docker', 'syscall', 55)];
    expect(old.every((s) => s.target === undefined)).toBe(true);
    const s = summarize(old);
    expect(s.cells.filter((c) => c.main).map((c) => c.target)).toEqual(['native', 'docker']);
    expect(classicCsvFiles(old).map((f) => f.name)).toEqual([
      'native-syscall.csv',
      'docker-syscall.csv',
    ]);
    expect(s.ratios.find((r) => r.platform === 'docker')?.relative).toBeCloseTo(50 / 55, 2);
  });

  it('compares two runs target by target (qcow2 with qcow2, raw with raw)', () => {
    const base = summarize(variantRun('run-a'));
    // The candidate's qcow2 got faster (80 → 100), raw stayed the same.
    const cand = summarize([
      ...cellSamples('native', 'diskwrite', 400, { runId: 'run-b' }),
      ...asTarget(cellSamples('qemu-tcg', 'diskwrite', 100, { runId: 'run-b' }), RAW, {}),
      ...asTarget(cellSamples('qemu-tcg', 'diskwrite', 100, { runId: 'run-b' }), QCOW, {}),
    ]);
    const rows = compareRuns(base, cand);
    const byTarget = Object.fromEntries(rows.map((r) => [r.target, r.relative]));
    expect(byTarget[RAW]).toBeCloseTo(1, 2);
    expect(byTarget[QCOW]).toBeCloseTo(1.25, 2);
  });
});
