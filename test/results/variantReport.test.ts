/**
 * The report and `benchvisor show` of a run with variants and no native: the first target is
 * the reference by default ("qcow2 relative to raw"), any target can be chosen, rows are
 * labelled by target, and an expectation naming targets is listed and checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, UsageError, type CliContext } from '../../src/main/cli/command';
import { checkReference, formatRunReport, showCommand } from '../../src/main/cli/show';
import type { Engine } from '../../src/main/composition';
import { RunStore } from '../../src/main/store/runStore';
import { buildReportFacts } from '../../src/main/export/reportModel';
import { reportHtml } from '../../src/main/export/reportHtml';
import { reportMarkdown } from '../../src/main/export/reportMarkdown';
import type { ReportFacts } from '../../src/main/export/reportModel';
import { reportTables } from '../../src/main/export/reportTables';
import type { Sample } from '../../src/shared/sample';
import { cellSamples, writeRunFolder } from './fixtures';
import { targetCell } from './variantFixtures';

const root = mkdtempSync(join(tmpdir(), 'bv-variant-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';

function folder(runId: string, samples: Sample[]) {
  writeRunFolder(
    root,
    runId,
    samples.map((s) => ({ ...s, runId })),
  );
  const d = new RunStore({ runsDir: root }).get(runId);
  return buildReportFacts(d, d.cells);
}

/** The header of the column naming the rows, in show's table, report.md and report.html. */
function rowHeaders(facts: ReportFacts) {
  const show = formatRunReport(facts)
    .split('\n')
    .find((l) => /^ {2}\S+ +n +Mean/.test(l))!
    .trim()
    .split(/ +/)[0];
  const md = reportMarkdown({ ...facts, charts: [] })
    .split('\n')
    .find((l) => l.includes('| n | Mean |'))!
    .split(' | ')[0]!
    .replace('| ', '');
  const html = /<tr><th>([^<]*)<\/th><th>n<\/th>/.exec(reportHtml({ ...facts, charts: [] }))![1];
  return [show, md, html];
}

function run() {
  const runId = 'variant-report';
  writeRunFolder(
    root,
    runId,
    [
      ...targetCell('qemu-tcg', RAW, 'diskwrite', 100, { diskFormat: 'raw' }, { meta: {} }),
      ...targetCell('qemu-tcg', QCOW, 'diskwrite', 80, { diskFormat: 'qcow2' }),
    ].map((s) => ({ ...s, runId })),
    {
      config: {
        expectations: [
          { kind: 'slower', benchmark: 'diskwrite', a: QCOW, b: RAW, byAtLeastPercent: 10 },
        ],
      },
    },
  );
  return new RunStore({ runsDir: root }).get(runId);
}

describe('report of a run with variants', () => {
  it('takes the first target as the reference when there is no native', () => {
    const d = run();
    const facts = buildReportFacts(d, d.cells);
    expect(facts.summary.referenceTarget).toBe(RAW);
    const rows = reportTables(facts)[0]!.rows;
    expect(rows.map((r) => [r.platform, r.relative.split(' ')[0]])).toEqual([
      ['QEMU TCG · raw', '1'],
      ['QEMU TCG · qcow2', '0.8'],
    ]);
    expect(facts.settings.find(([k]) => k === 'Expectations')?.[1]).toBe(
      'QEMU TCG · qcow2 slower than QEMU TCG · raw by ≥ 10% on Disk write',
    );
    const text = formatRunReport(facts);
    expect(text).toContain('[held] Held: QEMU TCG · qcow2 slower than QEMU TCG · raw by ≥ 10%');
    expect(text).toContain('Disk write on QEMU TCG: qcow2 runs at 0.80× the speed of raw');
  });

  it('any target can be the reference', () => {
    const d = run();
    const facts = buildReportFacts(d, d.cells, { reference: QCOW });
    const rows = reportTables(facts)[0]!.rows;
    expect(rows.find((r) => r.platform === 'QEMU TCG · qcow2')?.relative).toBe('1 (reference)');
    expect(rows.find((r) => r.platform === 'QEMU TCG · raw')?.verdict).toBe('faster');
  });

  it('names the rows "Target" with variants, "Platform" without', () => {
    const variants = run();
    expect(rowHeaders(buildReportFacts(variants, variants.cells))).toEqual([
      'Target',
      'Target',
      'Target',
    ]);
    // One target of a platform, but not the platform itself (only qcow2 was run): still targets.
    const single = folder(
      'one-variant',
      targetCell('qemu-tcg', QCOW, 'diskwrite', 80, { diskFormat: 'qcow2' }),
    );
    expect(rowHeaders(single)).toEqual(['Target', 'Target', 'Target']);
    const plain = folder('no-variants', [
      ...cellSamples('native', 'diskwrite', 400),
      ...cellSamples('qemu-tcg', 'diskwrite', 100),
    ]);
    expect(rowHeaders(plain)).toEqual(['Platform', 'Platform', 'Platform']);
  });

  it('show --reference refuses a target the run does not have, listing its targets', async () => {
    const d = run();
    expect(() => checkReference(d.samples, RAW)).not.toThrow();
    expect(() => checkReference(d.samples, 'native')).toThrow(
      new UsageError(`--reference: native is not a target of this run (targets: ${RAW}, ${QCOW})`),
    );
    // The command itself refuses before printing anything (exit 2 comes from UsageError).
    let out = '';
    const io = {
      stdout: { write: (t: string) => ((out += t), true) },
      stderr: { write: () => true },
      env: {},
      cwd: root,
    } as unknown as CliContext['io'];
    const ctx: CliContext = {
      io,
      engine: async () => ({ store: new RunStore({ runsDir: root }) }) as unknown as Engine,
      onInterrupt: () => () => {},
    };
    await expect(
      showCommand.run(['variant-report', '--reference', 'qemu-kvm'], ctx),
    ).rejects.toThrow(
      /qemu-kvm is not a target of this run \(targets: qemu-tcg\.raw, qemu-tcg\.qcow2\)/,
    );
    expect(out).toBe('');
    expect(await showCommand.run(['variant-report', '--reference', QCOW], ctx)).toBe(EXIT.ok);
    expect(out).toContain('QEMU TCG · qcow2');
  });
});
