/**
 * Issue #9 item 7: names and any bundle-supplied text are printed with control
 * characters escaped. A run name from an imported bundle could otherwise clear
 * the screen, retitle the terminal or reorder the line (bidi override) in
 * `benchvisor list`, `show` and `compare`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatComparison } from '../../src/main/cli/compare';
import { formatRunList } from '../../src/main/cli/list';
import { formatRunReport } from '../../src/main/cli/show';
import { escapeControl } from '../../src/main/cli/textTable';
import { RunStore } from '../../src/main/store/runStore';
import { buildReportFacts } from '../../src/main/export/reportModel';
import { compareRuns, summarize } from '../../src/shared/stats';
import { cellSamples, writeRunFolder } from './fixtures';

/** Clears the screen, sets the window title, and flips the rest of the line right-to-left. */
const EVIL = 'lab\x1b[2J\x1b]0;pwned\x07 run\u202eexe.txt\x9b31m';
/** Any character a terminal acts on instead of printing. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const root = mkdtempSync(join(tmpdir(), 'bv-text-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function evilRun(runId: string): ReturnType<RunStore['get']> {
  const dir = writeRunFolder(root, runId, cellSamples('native', 'syscall', 100, { runId }));
  const exp = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
  exp.name = EVIL;
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify(exp));
  // A cell note from the bundle's cells.json is bundle-supplied text too.
  writeFileSync(
    join(dir, 'cells.json'),
    JSON.stringify([
      {
        platform: 'native',
        benchmark: 'syscall',
        status: 'failed',
        measured: 5,
        failed: 0,
        warmup: 0,
        reason: `broke\x1b[31m here`,
      },
    ]),
  );
  return new RunStore({ runsDir: root }).get(runId);
}

describe('terminal output escapes control characters', () => {
  it('escapeControl writes them as visible escapes and leaves ordinary text alone', () => {
    expect(escapeControl(EVIL)).toBe('lab\\x1b[2J\\x1b]0;pwned\\x07 run\\u202eexe.txt\\x9b31m');
    expect(escapeControl('Würfel ±5% — ok')).toBe('Würfel ±5% — ok');
  });

  it('list, show and compare print an imported run name escaped', () => {
    const a = evilRun('evil-a');
    const b = evilRun('evil-b');
    const list = formatRunList([a.item, b.item]);
    const show = formatRunReport(buildReportFacts(a, a.cells));
    const compare = formatComparison(
      a.item,
      b.item,
      compareRuns(summarize(a.samples), summarize(b.samples)),
    );
    for (const [what, text] of [
      ['list', list],
      ['show', show],
      ['compare', compare],
    ] as const) {
      expect(text, what).not.toMatch(ACTIVE);
      expect(text, what).toContain('lab\\x1b[2J\\x1b]0;pwned\\x07 run\\u202eexe.txt');
    }
    expect(show).toContain('broke\\x1b[31m here');
  });
});
