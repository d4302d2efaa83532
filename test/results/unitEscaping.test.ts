/**
 * Issue #23 item 8: a sample's `unit` (and the environment's text) from someone's bundle holds
 * ESC, an OSC title, BEL, the one-byte C1 CSI, U+202E or CR: `show` (text and --json) and
 * report.md print them escaped, through the one escaping function (shared/controlText.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRunReport } from '../../src/main/cli/show';
import { RunStore } from '../../src/main/store/runStore';
import { buildReportModel } from '../../src/main/export/reportModel';
import { reportMarkdown } from '../../src/main/export/reportMarkdown';
import { escapeControlInJson } from '../../src/shared/controlText';
import { buildReportFacts } from '../../src/main/export/reportModel';
import { cellSamples, writeRunFolder } from './fixtures';

/** Every kind the issue names: ESC + CSI, an OSC title ended by BEL, C1 CSI, RLO, CR. */
const EVIL_UNIT = 'ns\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eoops\rcall';
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const root = mkdtempSync(join(tmpdir(), 'bv-unit-escape-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function evilRun() {
  const runId = 'evil-unit';
  const samples = cellSamples('native', 'syscall', 100, { runId }).map((s) => ({
    ...s,
    unit: EVIL_UNIT,
  }));
  writeRunFolder(root, runId, samples);
  return new RunStore({ runsDir: root }).get(runId);
}

describe('units from a bundle are printed escaped (issue #23 item 8)', () => {
  const detail = evilRun();

  it('show prints the unit escaped', () => {
    const text = formatRunReport(buildReportFacts(detail, detail.cells));
    expect(text).not.toMatch(ACTIVE);
    expect(text).toContain('ns\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eoops\\x0dcall');
  });

  it('show --json stays valid JSON with C1 and bidi characters as \\u escapes', () => {
    const json = escapeControlInJson(JSON.stringify({ unit: EVIL_UNIT }));
    expect(json).not.toMatch(ACTIVE);
    expect(JSON.parse(json)).toEqual({ unit: EVIL_UNIT });
  });

  it('keeps pretty-printed JSON (show --json) valid: its own newlines stay newlines', () => {
    const value = { run: { unit: EVIL_UNIT, n: 3 } };
    const json = escapeControlInJson(JSON.stringify(value, null, 2));
    expect(json.split('\n').length).toBeGreaterThan(3);
    expect(json).not.toMatch(ACTIVE);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('report.md prints the unit escaped', async () => {
    const md = reportMarkdown(await buildReportModel(detail, detail.cells));
    expect(md).not.toMatch(ACTIVE);
    expect(md).toContain('ns\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eoops\\x0dcall');
  });
});
