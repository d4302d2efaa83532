/**
 * The answer first, read as a person would: after a native + QEMU TCG run of LINPACK, the first
 * heading and table on the results page are the answer matrix with TCG's LINPACK speed relative
 * to native and its verdict, one plain line names the mechanism, and the emulation finding names
 * TCG. A second run of the same experiment compared with the first opens the compare page,
 * which names the baseline and the candidate. Quick profile, 3 repetitions (the fewest with an
 * interval), no warm-up: TCG is slow on a busy machine.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ANSWER_WORDS } from '../src/shared/answer';
import { qemuPids, shot, startUrl } from './webMode';

/** The README's screenshots: the answer must be visible at this size without scrolling. */
const SCREEN = { width: 1400, height: 900 };

async function runNativeAndTcg(page: Page, name: string): Promise<void> {
  await page.goto(startUrl());
  await expect(page.getByTestId('platform-status-qemu-tcg')).toHaveText('available');
  await page.getByTestId('platform-native').check();
  await page.getByTestId('platform-qemu-tcg').check();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-guest')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('profile-quick').check();
  for (const id of ['memsweep', 'diskwrite', 'forksum', 'syscall', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('3');
  await page.getByTestId('reps-warmup').fill('0');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('experiment-name').fill(name);
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 400_000 });
  await expect.poll(() => qemuPids().length, { timeout: 30_000 }).toBe(0);
}

test('results answer first: matrix, plain line, emulation finding; compare names baseline and candidate', async ({
  page,
}, testInfo) => {
  test.setTimeout(900_000);
  await page.setViewportSize(SCREEN);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await runNativeAndTcg(page, 'answers: native vs TCG');
  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  const firstRunId = (await page.getByTestId('results-view').getAttribute('data-run-id'))!;

  // The first heading on the page is the answer, and the first table is its matrix.
  const heading = page.getByRole('heading').first();
  await expect(heading).toHaveText('Answer: speed relative to Native');
  await expect(heading).toBeInViewport();
  const table = page.getByRole('table').first();
  await expect(table).toHaveAttribute('data-testid', 'answer-matrix');
  await expect(table).toBeInViewport();
  // TCG's LINPACK cell: "N× slower", its interval, and the verdict word for its verdict.
  const cell = table.getByTestId('answer-cell-qemu-tcg-linpack');
  await expect(cell).toContainText(/\d+(\.\d)?× slower/);
  await expect(cell).toContainText(/\d+(\.\d)?–\d+(\.\d)?×/);
  const verdict = (await cell.getAttribute('data-verdict')) as keyof typeof ANSWER_WORDS;
  expect(verdict).toBe('slower');
  await expect(table.getByTestId('answer-word-qemu-tcg-linpack')).toHaveText(ANSWER_WORDS.slower);
  await expect(table.getByTestId('answer-cell-native-linpack')).toHaveText('reference');
  // One plain line per platform, with the mechanism.
  await expect(page.getByTestId('answer-line-qemu-tcg')).toHaveText(
    /^QEMU TCG ran LINPACK \d+(\.\d)?× slower than Native \(.+×\): every guest instruction is translated by QEMU's TCG/,
  );
  // The emulation finding: a one-line headline naming TCG, its details on expand.
  const emulation = page.getByTestId('finding-emulation-cost:qemu-tcg');
  await expect(emulation).toContainText(/ran LINPACK \d+(\.\d)?× slower than native/);
  await expect(emulation).toContainText('translated by TCG (binary translation)');
  await expect(emulation.locator('p')).toBeHidden();
  await emulation.locator('summary').click();
  await expect(emulation.locator('p')).toContainText('Tiny Code Generator');
  await emulation.locator('summary').click();
  // Measurement quality is one panel with one summary line.
  await expect(page.getByTestId('findings-quality-summary')).toContainText('Measurement quality');
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, testInfo, 'results-answer');
  if (process.env['BENCHVISOR_UPDATE_SCREENSHOT']) {
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/results-answer.png' });
  }

  // The same experiment again ("Run again…"), then the two runs compared.
  await page.getByTestId('nav-history').click();
  await page.getByTestId(`history-again-${firstRunId}`).click();
  await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  await page.getByTestId('experiment-name').fill('answers: native vs TCG, again');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 400_000 });
  await page.getByTestId('view-results').click();
  const secondRunId = (await page.getByTestId('results-view').getAttribute('data-run-id'))!;
  expect(secondRunId).not.toBe(firstRunId);

  await page.getByTestId('nav-history').click();
  await page.getByTestId(`history-select-${secondRunId}`).check();
  await page.getByTestId(`history-select-${firstRunId}`).check();
  await page.getByTestId('history-compare').click();
  const compare = page.getByTestId('compare-view');
  // The older run is the baseline, the newer the candidate, whichever was ticked first.
  await expect(compare).toHaveAttribute('data-baseline', firstRunId);
  await expect(compare).toHaveAttribute('data-candidate', secondRunId);
  await expect(page.getByTestId('compare-baseline')).toContainText('Baseline');
  await expect(page.getByTestId('compare-baseline-name')).toHaveText('answers: native vs TCG');
  await expect(page.getByTestId('compare-candidate')).toContainText('Candidate');
  await expect(page.getByTestId('compare-candidate-name')).toHaveText(
    'answers: native vs TCG, again',
  );
  await expect(page.getByRole('heading').first()).toHaveText(
    'Answer: candidate speed relative to the baseline',
  );
  const ratio = page.getByTestId('answer-cell-qemu-tcg-linpack');
  await expect(ratio).toBeInViewport();
  const v = (await ratio.getAttribute('data-verdict')) as keyof typeof ANSWER_WORDS;
  await expect(page.getByTestId('answer-word-qemu-tcg-linpack')).toHaveText(ANSWER_WORDS[v]);
  await page.getByTestId('compare-swap').click();
  await expect(compare).toHaveAttribute('data-baseline', secondRunId);
  await page.getByTestId('compare-swap').click();
  await shot(page, testInfo, 'compare');
  if (process.env['BENCHVISOR_UPDATE_SCREENSHOT'])
    await page.screenshot({ path: 'docs/compare-answer.png' });
  expect(pageErrors).toEqual([]);
});

test('presets on the first page fill the wizard', async ({ page }) => {
  await page.goto(startUrl());
  await expect(page.getByTestId('wizard-step-platforms')).toBeVisible();
  await page.getByTestId('preset-raw-qcow2').click();
  await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  await expect(page.getByTestId('experiment-name')).toHaveValue(
    'Disk formats: raw vs qcow2 (QEMU TCG)',
  );
  await expect(page.getByTestId('preview-target-count')).toContainText('2');
  await page.getByTestId('step-platforms').click();
  await expect(page.getByTestId('platform-qemu-tcg')).toBeChecked();
  await expect(page.getByTestId('platform-native')).not.toBeChecked();
  await page.getByTestId('preset-seed-study').click();
  await expect(page.getByTestId('experiment-name')).toHaveValue(/^The seed study/);
  await page.getByTestId('step-platforms').click();
  for (const p of ['native', 'docker', 'qemu-tcg', 'unikernel-tcg'])
    await expect(page.getByTestId(`platform-${p}`)).toBeChecked();
  await expect(page.getByTestId('platform-qemu-kvm')).not.toBeChecked();
});
