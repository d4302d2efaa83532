/**
 * A real QEMU guest (TCG) driven from the browser: the wizard picks the TCG guest, the
 * guest's serial console streams into xterm.js, typing in the terminal reaches the
 * guest's shell, and cancelling the run leaves no qemu process behind.
 */
import { expect, test } from '@playwright/test';
import { qemuPids, startUrl } from './webMode';

/** Live qemu-system processes started by the e2e server (their scratch is in its TMPDIR). */
test('QEMU guest console: boot output live, typing reaches the guest shell, cancel cleans up', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  expect(qemuPids()).toEqual([]);
  await page.goto(startUrl());

  // Platforms: the TCG guest; no native, so the guest is the only console.
  await expect(page.getByTestId('platform-status-qemu-tcg')).toHaveText('available');
  await page.getByTestId('platform-native').uncheck();
  await page.getByTestId('platform-qemu-tcg').check();
  await page.getByTestId('wizard-next').click();
  // Guest: TCG, raw disk, cache=none.
  await expect(page.getByTestId('wizard-step-guest')).toBeVisible();
  await page.getByTestId('guest-disk-format').selectOption('raw');
  await page.getByTestId('guest-cache-mode').selectOption('none');
  await page.getByTestId('wizard-next').click();
  // Benchmarks: only a long linpack, so the guest is busy while we type.
  for (const id of ['memsweep', 'diskwrite', 'forksum', 'syscall', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('param-linpack-seconds').fill('120');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('1');
  await page.getByTestId('reps-warmup').fill('0');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('preview-commands')).toContainText('qemu-system-x86_64');
  await page.getByTestId('experiment-name').fill('e2e guest console');
  await page.getByTestId('run-start').click();

  // The serial console shows the guest's shell once it booted, then linpack's progress
  // (the benchmark's stderr inside the guest).
  const terminal = page.getByTestId('console-terminal-qemu-tcg');
  await expect(terminal).toContainText('BusyBox', { timeout: 120_000 });
  await expect(terminal).toContainText('linpack:', { timeout: 120_000 });
  expect(qemuPids()).toHaveLength(1);

  // Typing in the terminal goes to the guest's shell on the serial console.
  await terminal.click();
  await page.keyboard.type('echo bv-$((6*7))');
  await page.keyboard.press('Enter');
  await expect(terminal).toContainText('bv-42', { timeout: 60_000 });
  const path = testInfo.outputPath('guest-console.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('guest-console', { path, contentType: 'image/png' });

  // Cancel: the run ends cancelled and the guest is gone.
  await page.getByTestId('run-cancel').click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 60_000 });
  await expect.poll(() => qemuPids().length, { timeout: 30_000 }).toBe(0);
});
