/**
 * The wizard's details, read as a person would (issue 22 item 8), without running anything:
 * the guest step names only the platforms in the run and says what every cache mode does;
 * benchmark parameters show their defaults as values with a "default" tag; the review names a
 * target once, describes nginx on native, keeps Run on screen; an optional margin is not
 * "required"; an expectation the experiment can no longer check is said to be so.
 */
import { expect, test } from '@playwright/test';
import { startUrl } from './webMode';

test.use({ viewport: { width: 1400, height: 900 } });

test('wizard details: guest lead, cache modes, defaults, review header, Run reachable, stale expectations', async ({
  page,
}) => {
  await page.goto(startUrl());
  await expect(page.getByTestId('platform-status-qemu-tcg')).toHaveText('available');
  await page.getByTestId('platform-native').check();
  await page.getByTestId('platform-qemu-tcg').check();

  // Guest: no Docker in the run, so no word about Docker's limits; each cache mode says what it does.
  await page.getByTestId('wizard-next').click();
  const guest = page.getByTestId('wizard-step-guest');
  await expect(guest.locator('p.lead')).toContainText('QEMU’s own default is 1 vCPU');
  await expect(guest.locator('p.lead')).not.toContainText('Docker');
  const cacheOptions = await page
    .getByTestId('guest-cache-mode')
    .locator('option')
    .allTextContents();
  expect(cacheOptions).toHaveLength(5);
  for (const o of cacheOptions) expect(o).toMatch(/^\w+ — .{10,}/);

  // Benchmarks: a parameter left at its profile's default shows that value, tagged "default".
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('profile-quick').check();
  for (const id of ['memsweep', 'diskwrite', 'forksum', 'syscall'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('bench-nginx').check();
  await expect(page.getByTestId('param-linpack-size')).toHaveValue('200');
  await expect(page.getByTestId('param-linpack-size-default')).toBeVisible();
  await page.getByTestId('param-linpack-size').fill('300');
  await expect(page.getByTestId('param-linpack-size-default')).toHaveCount(0);
  await page.getByTestId('param-linpack-size').fill('');
  await page.getByTestId('param-linpack-size').blur();
  await expect(page.getByTestId('param-linpack-size')).toHaveValue('200');
  await expect(page.getByTestId('param-linpack-size-default')).toBeVisible();

  // Review: each target named once; nginx on native described; Run on screen without scrolling.
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('3');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('preview-commands')).toBeVisible();
  await expect(page.getByTestId('preview-target-title-native')).toHaveText('Native');
  await expect(page.getByTestId('preview-target-native')).toContainText('nginx');
  await expect(page.getByTestId('wizard-step-review')).not.toContainText('cannot describe');
  await page.evaluate('window.scrollTo(0, 0)');
  await expect(page.getByTestId('run-start')).toBeInViewport();
  await page.evaluate('window.scrollTo(0, document.body.scrollHeight / 2)');
  await expect(page.getByTestId('run-start')).toBeInViewport();

  // An expectation with the optional margin left empty is fine.
  await page.getByTestId('expectation-kind').selectOption('faster');
  await page.getByTestId('expectation-a').selectOption('native');
  await page.getByTestId('expectation-b').selectOption('qemu-tcg');
  await expect(page.getByTestId('expectation-margin')).toHaveValue('');
  await expect(page.getByTestId('expectation-margin-error')).toHaveCount(0);
  await page.getByTestId('expectation-add').click();
  await expect(page.getByTestId('expectation-item-0')).toContainText('Native');
  await expect(page.getByTestId('expectations-stale')).toHaveCount(0);

  // The platforms change: the expectation that names QEMU TCG cannot be checked, and says so.
  await page.getByTestId('step-platforms').click();
  await page.getByTestId('platform-qemu-tcg').uncheck();
  await page.getByTestId('step-review').click();
  await expect(page.getByTestId('expectation-stale-0')).toContainText('is not in this run');
  await page.getByTestId('expectation-remove-stale').click();
  await expect(page.getByTestId('expectation-list')).toHaveCount(0);
  await expect(page.getByTestId('expectations-stale')).toHaveCount(0);
});
