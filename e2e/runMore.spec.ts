/**
 * "Run N more" read as a person would: after a short native run, its results page offers to run
 * more repetitions; asking for 2 more follows them in the run view, and the same run's results
 * then count 2 more samples per cell, with no new run in the history. Quick profile, System call
 * only, 2 + 2 repetitions, no warm-up.
 */
import { expect, test } from '@playwright/test';
import { startUrl } from './webMode';

const NAME = 'e2e run more';

test('Run N more adds samples to the same run', async ({ page }) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(startUrl());
  await page.getByTestId('platform-native').check();
  await page.getByTestId('wizard-next').click();
  // Native only: no guest step.
  await expect(page.getByRole('heading', { name: 'Benchmarks' })).toBeVisible();
  await page.getByTestId('profile-quick').check();
  // The disk benchmark offers to time its first write, with a line saying what that changes.
  await expect(page.getByLabel('Time the first write')).not.toBeChecked();
  await expect(page.getByText(/On: no fill, the first write is timed/)).toBeVisible();
  for (const id of ['linpack', 'memsweep', 'diskwrite', 'forksum', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('2');
  await page.getByTestId('reps-warmup').fill('0');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('experiment-name').fill(NAME);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await page.getByRole('button', { name: 'View results' }).click();

  const results = page.getByTestId('results-view');
  await expect(results).toContainText('2 samples');
  const runId = (await results.getAttribute('data-run-id'))!;

  // The offer, in words: how many to add, and a button that says what it does.
  const count = page.getByLabel('Repetitions to add per cell');
  await count.fill('2');
  await page.getByRole('button', { name: 'Run 2 more' }).click();

  // The run view follows the extension of the same run.
  await expect(page.getByTestId('run-id')).toContainText(`run ${runId}`);
  await expect(page.getByText('2 more repetitions per cell, added to this run')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await expect(page.getByText(/2 more repetitions completed \(4 in all\)/).first()).toBeVisible();
  await page.getByRole('button', { name: 'View results' }).click();

  // The same run, now with 4 samples; the answer and tables are made from all of them.
  await expect(results).toHaveAttribute('data-run-id', runId);
  await expect(results).toContainText('4 samples');

  // The System panel: folded to one line, the host's facts and the load when opened.
  const system = page.getByTestId('system-panel');
  await expect(system).toContainText('System');
  await expect(system.getByText('Load during the run')).toBeHidden();
  await system.getByText('System', { exact: true }).click();
  await expect(system.getByText('Load during the run')).toBeVisible();
  await expect(system.getByText('Mitigations')).toBeVisible();
  await expect(system).toContainText(/other processes used \d+% of a CPU/);

  // No new run: the history lists this experiment once, with 4 samples.
  await page.getByRole('button', { name: 'History' }).click();
  const rows = page.getByRole('row').filter({ hasText: NAME });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('4');

  expect(pageErrors).toEqual([]);
});
