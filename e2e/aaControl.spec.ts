/**
 * An interleaved run with the A/A control, driven from the browser (issue 19): the Repetitions
 * step offers the order with its reason, instances and the control; the run measures native and
 * its twin in interleaved rounds (the samples record round and position); the results show the
 * control's verdict first, before every other finding, and its comparison is paired by round.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SampleSchema } from '../src/shared/sample';
import { shot, startUrl } from './webMode';

test('interleaved run with the A/A control: its verdict shown first', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(startUrl());
  await expect(page.getByTestId('platform-native')).toBeChecked();
  await page.getByTestId('wizard-next').click();
  for (const id of ['linpack', 'memsweep', 'diskwrite', 'forksum', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('bench-syscall').check();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-repetitions')).toBeVisible();
  await expect(page.getByTestId('reps-order')).toHaveValue('interleaved');
  await expect(page.getByTestId('reps-order-reason')).toContainText('paired by round');
  await page.getByTestId('reps-count').fill('4');
  await page.getByTestId('reps-warmup').fill('1');
  await page.getByTestId('reps-control').check();
  await shot(page, testInfo, 'aa-repetitions');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('experiment-name').fill('e2e A/A control');
  await page.getByTestId('run-start').click();

  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect(page.getByTestId('console-native.control')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });

  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  const findings = page.getByTestId('findings');
  // The control's section is the first thing under the findings heading.
  await expect(findings.locator(':scope > section, :scope > article').first()).toHaveAttribute(
    'data-testid',
    'findings-control',
  );
  const card = page.getByTestId('finding-aa-control:syscall');
  await expect(card).toContainText('A/A control');
  await expect(card).toContainText('paired by round');
  await shot(page, testInfo, 'aa-results');

  // The samples record the rounds: each round has native and its twin, positions 1 and 2.
  const runId = await page.getByTestId('results-view').getAttribute('data-run-id');
  const runsDir = process.env['BENCHVISOR_E2E_RUNS'];
  if (!runId || !runsDir) throw new Error('no run id or runs folder');
  const samples = readFileSync(join(runsDir, runId, 'samples.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => SampleSchema.parse(JSON.parse(l)));
  expect(samples).toHaveLength(8);
  for (let round = 1; round <= 4; round++) {
    const inRound = samples.filter((s) => s.meta.round === round);
    expect(inRound.map((s) => s.target).sort()).toEqual(['native', 'native.control']);
    expect(inRound.map((s) => s.meta.position).sort()).toEqual([1, 2]);
  }
});
