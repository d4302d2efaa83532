// The closing lines of `npm test`, over every runner's reports:
//   - the time budget per test file (vitest files from test-results/vitest-files.json, written by
//     scripts/vitest-file-report.ts; Playwright spec files from its JSON report), with the
//     slowest ten files and any file over its budget;
//   - every skipped test with its reason;
//   - one line "tests: N passed, N failed, N skipped".
// Usage: node scripts/test-summary.mjs <vitest.json> <playwright.json> [vitest-files.json]
// Budgets are reported, not enforced (the machine may be shared; speed targets live in
// `npm run bench`); BENCHVISOR_ENFORCE_BUDGET=1 makes a file over budget fail the run.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Wall-clock budget of one test file, per kind, in seconds (a 2-core machine, quick profile). */
export const FILE_BUDGET_S = { unit: 15, integration: 240, e2e: 300 };
/** The whole `npm test` must stay under this on the 2-core reference machine. */
export const TOTAL_BUDGET_S = 15 * 60;
const SLOWEST_SHOWN = 10;

const [vitestJson, playwrightJson, filesJson = 'test-results/vitest-files.json'] =
  process.argv.slice(2);

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
/** @type {{file: string, kind: string, ms: number}[]} */
const files = [];
/** @type {{where: string, name: string, reason: string | null}[]} */
const skips = [];

function readJson(file) {
  if (!file || !existsSync(file)) {
    console.error(`test-summary: ${file} is missing (that runner did not finish)`);
    missing++;
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

// vitest: counts from the jest-style report; durations and skip reasons from our reporter.
const vitest = readJson(vitestJson);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
const facts =
  filesJson && existsSync(filesJson) ? JSON.parse(readFileSync(filesJson, 'utf8')) : null;
if (facts) {
  for (const f of facts) {
    files.push({
      file: f.file,
      kind: f.project === 'unit' ? 'unit' : 'integration',
      ms: f.durationMs,
    });
    for (const s of f.skipped) skips.push({ where: f.file, name: s.name, reason: s.reason });
  }
} else if (vitest) {
  // Fallback: the jest-style report (reasons from the task meta set by test/support/skip.ts).
  for (const r of vitest.testResults) {
    const file = relative(process.cwd(), r.name);
    files.push({ file, kind: 'integration', ms: r.endTime - r.startTime });
    for (const a of r.assertionResults)
      if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo')
        skips.push({ where: file, name: a.fullName, reason: a.meta?.skipReason ?? null });
  }
}

// Playwright: nested suites → specs → tests → results; skip reasons are annotations.
const playwright = readJson(playwrightJson);
if (playwright?.stats) {
  passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  const perFile = new Map();
  const walk = (suite, file) => {
    const f = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const ms = (t.results ?? []).reduce((a, r) => a + (r.duration ?? 0), 0);
        perFile.set(`e2e/${f}`, (perFile.get(`e2e/${f}`) ?? 0) + ms);
        if (t.status === 'skipped') {
          const note = (t.annotations ?? []).find((a) => a.type === 'skip')?.description;
          skips.push({ where: `e2e/${f}`, name: spec.title, reason: note || null });
        }
      }
    }
    for (const s of suite.suites ?? []) walk(s, f);
  };
  for (const s of playwright.suites ?? []) walk(s, s.file);
  for (const [file, ms] of perFile) files.push({ file, kind: 'e2e', ms });
}

// Time budget: the slowest files, and every file over its budget.
const overBudget = files.filter((f) => f.ms / 1000 > FILE_BUDGET_S[f.kind]);
const totalS = files.reduce((a, f) => a + f.ms, 0) / 1000;
if (files.length > 0) {
  console.log(
    `\nslowest ${Math.min(SLOWEST_SHOWN, files.length)} test files (budget per file: unit ${FILE_BUDGET_S.unit} s, integration ${FILE_BUDGET_S.integration} s, e2e ${FILE_BUDGET_S.e2e} s):`,
  );
  for (const f of [...files].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN)) {
    const over = f.ms / 1000 > FILE_BUDGET_S[f.kind] ? '  OVER BUDGET' : '';
    console.log(
      `  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.kind.padEnd(11)} ${f.file}${over}`,
    );
  }
  for (const f of overBudget)
    console.log(
      `over budget: ${f.file} took ${(f.ms / 1000).toFixed(1)} s (budget ${FILE_BUDGET_S[f.kind]} s)`,
    );
  console.log(
    `test files: ${files.length}, ${totalS.toFixed(0)} s of test time summed over files (they run two at a time)`,
  );
}
const wallS = Number(process.env.BENCHVISOR_TEST_WALL_S);
if (wallS > 0) {
  const over = wallS > TOTAL_BUDGET_S ? '  OVER BUDGET' : '';
  console.log(`npm test took ${Math.round(wallS)} s (budget ${TOTAL_BUDGET_S} s)${over}`);
}

// Skips, each with its reason.
if (skips.length > 0) {
  console.log(`\nskipped tests (${skips.length}):`);
  for (const s of skips)
    console.log(`  ${s.where} > ${s.name}: ${s.reason ?? '(no reason given)'}`);
}

const enforce = process.env.BENCHVISOR_ENFORCE_BUDGET === '1' && overBudget.length > 0;
const reasonsText = skips.length
  ? ` (${skips.map((s) => `${s.name}: ${s.reason ?? 'no reason given'}`).join('; ')})`
  : '';
console.log(
  `tests: ${passed} passed, ${failed + missing} failed, ${skipped} skipped${reasonsText}`,
);
process.exit(failed + missing > 0 || enforce ? 1 : 0);
