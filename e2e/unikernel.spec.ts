/**
 * The unikernel from the browser: the wizard picks unikernel TCG with the system call benchmark
 * (quick, one repetition: one real boot of the library OS) and fork sum; the platform card says
 * why fork sum does not apply; the run shows the library OS's console live and the result; fork
 * sum is reported as not applicable with the product's reason; no QEMU is left behind.
 */
import { expect, test } from '@playwright/test';
import { LIBRARY_OS_LACKING } from '../src/shared/platforms';
import { qemuPids, startUrl } from './webMode';

/** Live qemu-system processes started by the e2e server (their scratch is in its TMPDIR). */
/** The words the product uses for fork sum on a library OS (one place: shared/platforms.ts). */
const FORK_REASON = LIBRARY_OS_LACKING.fork!;

test('unikernel TCG: syscall runs in a fresh boot with a live console; fork sum is not applicable, with its reason', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(startUrl());

  // Platforms: the unikernel card is available and says, before anything runs, why fork sum
  // (and nginx) cannot run on it.
  await expect(page.getByTestId('platform-status-unikernel-tcg')).toHaveText('available', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('not-applicable-unikernel-tcg-forksum')).toHaveText(
    `Fork sum: not applicable: ${FORK_REASON}`,
  );
  await page.getByTestId('platform-native').uncheck();
  await page.getByTestId('platform-unikernel-tcg').check();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-guest')).toBeVisible();
  await page.getByTestId('wizard-next').click();

  // Benchmarks: system calls (quick) and fork sum; nothing else.
  await expect(page.getByTestId('wizard-step-benchmarks')).toBeVisible();
  await page.getByTestId('profile-quick').check();
  for (const id of ['linpack', 'memsweep', 'diskwrite', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('bench-syscall').check();
  await page.getByTestId('bench-forksum').check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('1');
  await page.getByTestId('reps-warmup').fill('0');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('preview-commands')).toContainText('syscall.img');
  await page.getByTestId('experiment-name').fill('e2e unikernel');
  await page.getByTestId('run-start').click();

  // The run: the library OS's console live (its boot line, then the program's output).
  await expect(page.getByTestId('run-view')).toBeVisible();
  const terminal = page.getByTestId('console-terminal-unikernel-tcg');
  await expect(terminal).toContainText('@@LIBOS main syscall', { timeout: 120_000 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  // Each repetition starts with its command header; the protocol line stays in the transcript.
  await expect(terminal).toContainText('# benchvisor (unikernel-tcg): boot syscall.img');
  await expect(terminal).not.toContainText('@@BENCHVISOR');
  await expect.poll(() => qemuPids().length, { timeout: 30_000 }).toBe(0);

  // Results: one syscall sample on the unikernel; fork sum named as not run, with the reason.
  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  await expect(page.getByTestId('results-n-syscall-unikernel-tcg')).toHaveText('1');
  await expect(page.getByTestId('results-mean-syscall-unikernel-tcg')).not.toHaveText('—');
  const info = page.getByTestId('findings-info');
  if ((await info.count()) > 0 && (await info.getAttribute('open')) === null)
    await page.getByTestId('findings-info-toggle').click();
  const skipped = page.getByTestId('finding-skipped:unikernel-tcg:forksum');
  await expect(skipped).toContainText(/Fork sum on Unikernel .* was not run/);
  await expect(skipped).toContainText(FORK_REASON);
});
