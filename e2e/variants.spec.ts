/**
 * Variants in the browser: the wizard compares raw and qcow2 on the TCG guest (the live
 * target count, the refusal above the cap), the review lists both targets with their
 * exact command lines, the run shows one QEMU console per target titled with its label,
 * and the results group by target: the chart, the table's verdict and the variant finding
 * (checked against the verdict the run's own samples give, never against noise).
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SampleSchema } from '../src/shared/sample';
import { summarize, verdictText } from '../src/shared/stats';
import { MIN_N_FOR_INTERVAL } from '../src/shared/stats/logScale';
import { directedRatio } from '../src/shared/stats/ratio';
import { verdictFor } from '../src/shared/stats/verdict';
import { targetOf } from '../src/shared/targets';
import { MAX_TARGETS } from '../src/shared/variants';
import { qemuPids, shot, startUrl } from './webMode';

/** Live qemu-system processes started by the e2e server (their scratch is in its TMPDIR). */
/** The two targets of the run, in run order (the disk format's natural order). */
const TARGETS = [
  { id: 'qemu-tcg.raw', label: 'QEMU TCG · raw' },
  { id: 'qemu-tcg.qcow2', label: 'QEMU TCG · qcow2' },
];

test('compare raw and qcow2: wizard → review → one console per target → results', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  expect(qemuPids()).toEqual([]);
  await page.goto(startUrl());

  // Platforms: the TCG guest only.
  await expect(page.getByTestId('platform-status-qemu-tcg')).toHaveText('available');
  await page.getByTestId('platform-native').uncheck();
  await page.getByTestId('platform-qemu-tcg').check();
  await page.getByTestId('wizard-next').click();

  // Guest: "Compare several values" on the disk format turns the select into chips, the
  // current value (qcow2) ticked; ticking raw makes two targets, counted live.
  await expect(page.getByTestId('wizard-step-guest')).toBeVisible();
  await expect(page.getByTestId('target-count')).toHaveText('1 target');
  await page.getByTestId('guest-disk-format-compare').check();
  await expect(page.getByTestId('guest-disk-format')).toHaveCount(0);
  await expect(page.getByTestId('guest-disk-format-value-qcow2')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByTestId('guest-disk-format-value-raw').click();
  await expect(page.getByTestId('guest-disk-format-value-raw')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByTestId('target-count')).toHaveText('2 targets');
  for (const t of TARGETS) await expect(page.getByTestId(`target-${t.id}`)).toHaveText(t.label);
  await shot(page, testInfo, 'variants-guest');

  // Above the cap: every cache mode × every preallocation × 2 formats is refused with the
  // engine's message naming the fields, and Run is disabled on the review.
  await page.getByTestId('guest-cache-mode-compare').check();
  await page.getByTestId('guest-preallocation-compare').check();
  for (const v of ['writeback', 'writethrough', 'directsync', 'unsafe'])
    await page.getByTestId(`guest-cache-mode-value-${v}`).click();
  for (const v of ['metadata', 'falloc', 'full'])
    await page.getByTestId(`guest-preallocation-value-${v}`).click();
  const problem = page.getByTestId('targets-problem');
  await expect(problem).toContainText(`too many targets: 40 (at most ${MAX_TARGETS})`);
  await expect(problem).toContainText('guest.cacheMode (5)');
  await page.getByTestId('step-review').click();
  await expect(page.getByTestId('run-start')).toBeDisabled();
  await expect(page.getByTestId('targets-problem')).toContainText('too many targets: 40');
  await shot(page, testInfo, 'variants-too-many');
  // Back to one cache mode and one preallocation: the run's two targets.
  await page.getByTestId('step-guest').click();
  await page.getByTestId('guest-cache-mode-compare').uncheck();
  await page.getByTestId('guest-preallocation-compare').uncheck();
  await expect(page.getByTestId('guest-cache-mode')).toHaveValue('none');
  await expect(page.getByTestId('guest-preallocation')).toHaveValue('off');
  await expect(page.getByTestId('target-count')).toHaveText('2 targets');
  await page.getByTestId('wizard-next').click();

  // Benchmarks: Disk write only, quick profile.
  await page.getByTestId('profile-quick').check();
  for (const id of ['linpack', 'memsweep', 'forksum', 'syscall', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await expect(page.getByTestId('bench-diskwrite')).toBeChecked();
  await page.getByTestId('wizard-next').click();
  // The fewest repetitions that give a confidence interval, hence a verdict beyond
  // "inconclusive"; no warm-up.
  await page.getByTestId('reps-count').fill(String(MIN_N_FOR_INTERVAL));
  await page.getByTestId('reps-warmup').fill('0');
  // One target after another, one boot each: this spec reads the consoles in that order.
  await page.getByTestId('reps-order').selectOption('sequential');
  await page.getByTestId('reps-instances').fill('1');
  await page.getByTestId('wizard-next').click();

  // Review: both targets, each with its own exact qemu command line (its disk format), the
  // count and an estimate over both.
  await expect(page.getByTestId('preview-target-count')).toHaveText('2 targets');
  await expect(page.getByTestId('preview-estimate')).toContainText(
    `${2 * MIN_N_FOR_INTERVAL} repetitions`,
  );
  for (const t of TARGETS) {
    const block = page.getByTestId(`preview-target-${t.id}`);
    await expect(block).toContainText(t.label);
    await expect(block).toContainText('qemu-system-x86_64');
  }
  // Each target's disk in its own scratch folder, as prepare makes it.
  for (const format of ['raw', 'qcow2']) {
    const block = page.getByTestId(`preview-target-qemu-tcg.${format}`);
    await expect(block).toContainText(`scratch/qemu-tcg.${format}/disk.${format},format=${format}`);
  }
  await expect(page.getByTestId('run-start')).toBeEnabled();
  await page.getByTestId('experiment-name').fill('e2e raw vs qcow2');
  await shot(page, testInfo, 'variants-review');
  await page.getByTestId('run-start').click();

  // Run: one console per target, titled with its label; the targets run one after another,
  // each guest booting (BusyBox) and writing its disk.
  await expect(page.getByTestId('run-view')).toBeVisible();
  for (const t of TARGETS) {
    const pane = page.getByTestId(`console-${t.id}`);
    await expect(pane.locator('.console-head strong')).toHaveText(t.label);
  }
  for (const t of TARGETS)
    await expect(page.getByTestId(`console-terminal-${t.id}`)).toContainText('BusyBox', {
      timeout: 240_000,
    });
  expect(qemuPids().length).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 300_000 });
  // Each console shows its own guest's diskwrite progress (the result goes over the agent).
  for (const t of TARGETS)
    await expect(page.getByTestId(`console-terminal-${t.id}`)).toContainText(
      'diskwrite: writing 16777216 bytes to /dev/vda',
    );
  await expect(page.getByTestId('progress-overall')).toHaveAttribute(
    'data-done',
    String(2 * MIN_N_FOR_INTERVAL),
  );
  await shot(page, testInfo, 'variants-run');
  await expect.poll(() => qemuPids().length, { timeout: 30_000 }).toBe(0);

  // Results: a row per target, the chart grouped by target, raw the reference (no native).
  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  for (const t of TARGETS)
    await expect(page.getByTestId(`results-n-diskwrite-${t.id}`)).toHaveText(
      String(MIN_N_FOR_INTERVAL),
    );
  await expect(page.getByTestId('reference-select')).toHaveValue('qemu-tcg.raw');
  const chart = page.getByTestId('chart-diskwrite');
  await expect(chart.locator('svg').first()).toBeVisible();
  // One group per target on the chart's axis (in run order), a bar for each target and a
  // point for each repetition (Vega's own aria labels describe the marks).
  await expect(chart.locator('[aria-label^="X-axis"]')).toHaveAttribute(
    'aria-label',
    `X-axis for a discrete scale with 2 values: ${TARGETS.map((t) => t.label).join(', ')}`,
  );
  for (const t of TARGETS) {
    await expect(
      chart.locator(`[aria-roledescription="bar"][aria-label*="Target: ${t.label};"]`),
    ).toHaveCount(1);
    await expect(
      chart.locator(`[aria-roledescription="point"][aria-label*="Target: ${t.label};"]`),
    ).toHaveCount(MIN_N_FOR_INTERVAL);
  }

  // The verdict the run's own samples give for qcow2 against raw (shared statistics), and
  // what the table and the variant finding must say for it — whatever the noise decided.
  const runId = await page.getByTestId('results-view').getAttribute('data-run-id');
  const runsDir = process.env['BENCHVISOR_E2E_RUNS'];
  if (!runId || !runsDir) throw new Error('no run id or runs folder');
  const samples = readFileSync(join(runsDir, runId, 'samples.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => SampleSchema.parse(JSON.parse(l)));
  const cell = (target: string) => {
    const c = summarize(samples).cells.find(
      (x) => targetOf(x) === target && x.benchmark === 'diskwrite' && x.main,
    );
    if (!c) throw new Error(`no diskwrite cell for ${target}`);
    return c;
  };
  const raw = cell('qemu-tcg.raw');
  const qcow2 = cell('qemu-tcg.qcow2');
  expect([raw.n, qcow2.n]).toEqual([MIN_N_FOR_INTERVAL, MIN_N_FOR_INTERVAL]);
  const verdict = verdictFor(qcow2.values, raw.values, qcow2.direction);
  const relative = directedRatio(qcow2.values, raw.values, qcow2.direction)?.relative;
  if (relative === undefined) throw new Error('no ratio of qcow2 to raw');
  const tableVerdict = page.getByTestId('results-verdict-diskwrite-qemu-tcg.qcow2');
  await expect(tableVerdict).toHaveAttribute('data-verdict', verdict.verdict);
  await expect(tableVerdict).toHaveText(verdictText(verdict));
  const finding = page
    .getByTestId('findings-variants')
    .getByTestId('finding-variant-diskFormat:qemu-tcg.qcow2:qemu-tcg.raw:diskwrite');
  await expect(finding).toHaveAttribute('data-verdict', verdict.verdict);
  const expectedTitle =
    verdict.verdict === 'faster' || verdict.verdict === 'slower'
      ? `qcow2 runs at ${relative.toFixed(2)}× the speed of raw`
      : verdict.verdict === 'same'
        ? 'qcow2 vs raw — no measurable effect'
        : 'qcow2 vs raw — inconclusive';
  await expect(finding.locator('summary strong')).toHaveText(
    `Disk write on QEMU TCG: ${expectedTitle}`,
  );
  await shot(page, testInfo, 'variants-results');

  // "Run again…" brings the lists back, not their first values: two targets again, the disk
  // format still compared over raw and qcow2.
  await page.getByTestId('nav-history').click();
  await page.getByTestId(`history-again-${runId}`).click();
  await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  await expect(page.getByTestId('preview-target-count')).toHaveText('2 targets');
  for (const t of TARGETS) await expect(page.getByTestId(`preview-target-${t.id}`)).toBeVisible();
  await page.getByTestId('step-guest').click();
  await expect(page.getByTestId('guest-disk-format-compare')).toBeChecked();
  for (const format of ['raw', 'qcow2'])
    await expect(page.getByTestId(`guest-disk-format-value-${format}`)).toHaveAttribute(
      'aria-pressed',
      'true',
    );

  // Docker takes no disk format but its own options: comparing where diskwrite writes adds
  // one Docker target per value (counted, not run; unavailable platforms may be picked here).
  await page.getByTestId('step-platforms').click();
  await page.getByTestId('skip-unavailable').check();
  await page.getByTestId('platform-docker').check();
  await page.getByTestId('step-guest').click();
  await expect(page.getByTestId('target-count')).toHaveText('3 targets');
  await page.getByTestId('docker-disk-on-compare').check();
  await page.getByTestId('docker-disk-on-value-volume').click();
  await expect(page.getByTestId('target-count')).toHaveText('4 targets');
  await expect(page.getByTestId('target-docker.disk-scratch')).toHaveText(
    'Docker · disk on scratch',
  );
  await expect(page.getByTestId('target-docker.disk-volume')).toHaveText('Docker · disk on volume');
  await expect(page.getByTestId('target-qemu-tcg.raw')).toHaveText('QEMU TCG · raw');
  expect(pageErrors).toEqual([]);
});
