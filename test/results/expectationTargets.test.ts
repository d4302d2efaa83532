/**
 * Expectations that name targets ("qcow2 ≥ 10% slower than raw on Disk write"): the schema
 * (platform-only expectations parse unchanged), the checker on constructed samples and the
 * text (the wizard's draft: test/renderer/expectationDraftTargets.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ExpectationSchema, parseExperimentConfig } from '../../src/shared/config';
import type { Expectation } from '../../src/shared/config';
import { checkExpectations, describeExpectation } from '../../src/shared/findings/expectations';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';
import { targetCell } from './variantFixtures';

const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';
const slower10: Expectation = {
  kind: 'slower',
  benchmark: 'diskwrite',
  a: QCOW,
  b: RAW,
  byAtLeastPercent: 10,
};

function run(raw: number, qcow: number, spread = 1) {
  return summarize([
    ...cellSamples('native', 'diskwrite', 400),
    ...targetCell('qemu-tcg', RAW, 'diskwrite', raw, { diskFormat: 'raw' }, { spread }),
    ...targetCell('qemu-tcg', QCOW, 'diskwrite', qcow, { diskFormat: 'qcow2' }, { spread }),
  ]);
}

describe('expectation schema', () => {
  it('platform-only expectations parse unchanged; targets and margins parse', () => {
    const old = { kind: 'faster', benchmark: 'linpack', a: 'native', b: 'qemu-tcg' };
    expect(ExpectationSchema.parse(old)).toEqual(old);
    expect(ExpectationSchema.parse(slower10)).toEqual(slower10);
    expect(
      ExpectationSchema.safeParse({ kind: 'ranking', benchmark: 'linpack', order: [RAW, QCOW] })
        .success,
    ).toBe(true);
  });

  it('refuses what names no platform, and a margin that is not positive', () => {
    const bad = ExpectationSchema.safeParse({ ...slower10, a: 'vmware.raw' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('not a platform or a target');
    expect(ExpectationSchema.safeParse({ ...slower10, byAtLeastPercent: 0 }).success).toBe(false);
    const cfg = parseExperimentConfig({
      platforms: ['qemu-tcg'],
      benchmarks: ['diskwrite'],
      expectations: [{ ...slower10, a: 'Qemu TCG' }],
    });
    expect(cfg.ok).toBe(false);
    expect(cfg.ok ? '' : cfg.message).toContain('expectations.0.a');
  });
});

describe('checking expectations that name targets', () => {
  it('qcow2 ≥ 10% slower than raw: held when the whole interval is beyond the margin', () => {
    const [f] = checkExpectations([slower10], run(100, 80));
    expect(f?.held).toBe(true);
    expect(f?.title).toBe(
      'Held: QEMU TCG · qcow2 slower than QEMU TCG · raw by ≥ 10% on Disk write',
    );
    expect(f?.explanation).toContain('25.0% more time for the same work');
    expect(f?.numbers['relative speed bound']).toBeCloseTo(1 / 1.1, 3);
  });

  it('not held when short of the margin; cannot tell yet when past it by the point but not by the interval', () => {
    const [short] = checkExpectations([slower10], run(100, 95));
    expect(short?.held).toBe(false);
    expect(short?.explanation).toContain('short of the 10% margin');
    const [wide] = checkExpectations([slower10], run(100, 80, 25));
    expect(wide?.held).toBeUndefined();
    expect(wide?.title).toMatch(/^Cannot tell yet: /);
    expect(wide?.settle).toMatch(/would settle it/);
    expect(wide?.explanation).toContain('not shown yet');
  });

  it('faster by at least X%, and slower without a margin', () => {
    const faster: Expectation = { ...slower10, kind: 'faster', a: RAW, b: QCOW };
    expect(checkExpectations([faster], run(100, 80))[0]?.held).toBe(true);
    const plain: Expectation = { kind: 'slower', benchmark: 'diskwrite', a: QCOW, b: RAW };
    expect(checkExpectations([plain], run(100, 80))[0]?.held).toBe(true);
    expect(checkExpectations([plain], run(80, 100))[0]?.held).toBe(false);
  });

  it('a platform that ran as several targets cannot be checked: name one', () => {
    const e: Expectation = { kind: 'faster', benchmark: 'diskwrite', a: 'native', b: 'qemu-tcg' };
    const [f] = checkExpectations([e], run(100, 80));
    expect(f?.held).toBeUndefined();
    expect(f?.title).toMatch(/^Cannot check/);
    expect(f?.explanation).toContain(`ran as 2 targets (${RAW}, ${QCOW})`);
  });

  it('platform-only expectations on a run without variants are checked as before', () => {
    const s = summarize([
      ...cellSamples('native', 'linpack', 1000),
      ...cellSamples('qemu-tcg', 'linpack', 50),
    ]);
    const e: Expectation = { kind: 'faster', benchmark: 'linpack', a: 'native', b: 'qemu-tcg' };
    const [f] = checkExpectations([e], s);
    expect(f?.held).toBe(true);
    expect(describeExpectation(e)).toBe('Native faster than QEMU (emulated, TCG) on LINPACK');
  });
});
