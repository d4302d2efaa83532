/**
 * Web mode in Debian's Chromium: access control, then the whole user path — wizard (with a
 * screenshot per step and an expectation of the user's own), a native quick run of linpack +
 * forksum × 2, live console, results with plots and findings, export of the bundle (its
 * report.html rendered in Chromium), and import of that bundle into the history.
 */
import { expect, request as apiRequest, test } from '@playwright/test';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';
import WebSocket from 'ws';
import { SampleSchema } from '../src/shared/sample';
import { compareRuns, summarize, verdictText } from '../src/shared/stats';
import { shot, startUrl } from './webMode';

const origin = (): string => new URL(startUrl()).origin;
const wsUrl = (): string => `${origin().replace(/^http/, 'ws')}/api`;

/** Attaches a screenshot to the report and keeps the file in test-results. */
/** The names of a zip's entries and the text of one of them. */
async function zipEntries(
  zipPath: string,
  textOf: string,
): Promise<{ names: string[]; text: string | null }> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  const names: string[] = [];
  let text: string | null = null;
  try {
    for await (const entry of zip.eachEntry()) {
      names.push(entry.fileName);
      if (entry.fileName !== textOf) continue;
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    zip.close();
  }
  return { names, text };
}

/** Opens a WebSocket and reports how the handshake ended (HTTP status or 'open'). */
function handshake(url: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

test.describe('access control', () => {
  test('a page load without the token is refused', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${origin()}/`);
    expect(res?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('token');
    const wrong = await page.goto(`${origin()}/?token=${'0'.repeat(64)}`);
    expect(wrong?.status()).toBe(401);
    await context.close();
  });

  test('assets and a DNS-rebinding Host header are refused', async () => {
    const ctx = await apiRequest.newContext();
    expect((await ctx.get(`${origin()}/index.html`)).status()).toBe(401);
    const rebound = await ctx.get(startUrl(), { headers: { Host: 'attacker.example:80' } });
    expect(rebound.status()).toBe(403);
    await ctx.dispose();
  });

  test('an API (WebSocket) connection without the token is refused', async () => {
    const token = new URL(startUrl()).searchParams.get('token')!;
    expect(await handshake(wsUrl(), { Origin: origin() })).toBe(401);
    // With the token but from a foreign page (Origin check).
    expect(await handshake(`${wsUrl()}?token=${token}`, { Origin: 'http://evil.example' })).toBe(
      403,
    );
    // With the token and our origin it works, and a call gets a result envelope.
    const ws = new WebSocket(`${wsUrl()}?token=${token}`, { headers: { Origin: origin() } });
    const reply = await new Promise<{ result: { ok: boolean; value?: { transport: string } } }>(
      (resolve, reject) => {
        ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app:info', request: {} })));
        ws.on('message', (d) => {
          const msg = JSON.parse(d.toString()) as {
            type: string;
            id: number;
            result: { ok: boolean };
          };
          if (msg.type === 'reply' && msg.id === 1) resolve(msg as never);
        });
        ws.on('error', reject);
      },
    );
    ws.close();
    expect(reply.result.ok).toBe(true);
    expect(reply.result.value?.transport).toBe('websocket');
  });
});

test('wizard → native quick run of linpack + forksum × 2 → live console → results', async ({
  page,
}, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(startUrl());
  // The token was traded for a cookie and removed from the address bar.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  // 1. Platforms
  await expect(page.getByTestId('wizard-step-platforms')).toBeVisible();
  await expect(page.getByTestId('platform-status-native')).toHaveText('available');
  await expect(page.getByTestId('platform-native')).toBeChecked();
  await shot(page, testInfo, 'wizard-1-platforms');

  // 2. Guest: appears once a VM platform is chosen; shown, then the VM is deselected again.
  await page.getByTestId('skip-unavailable').check();
  await page.getByTestId('platform-qemu-tcg').check();
  await expect(page.getByTestId('step-guest')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-guest')).toBeVisible();
  await expect(page.getByTestId('guest-vcpus')).toHaveValue('1');
  await expect(page.getByTestId('guest-memory')).toHaveValue('512');
  // Docker's own options appear only once Docker is among the platforms.
  await expect(page.getByTestId('docker-options')).toHaveCount(0);
  await page.getByTestId('wizard-back').click();
  await page.getByTestId('platform-docker').check();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('docker-network')).toHaveValue('host');
  await page.getByTestId('docker-network').selectOption('bridge');
  await page.getByTestId('docker-disk-on').selectOption('layer');
  await expect(page.getByTestId('docker-disk-on')).toHaveValue('layer');
  await shot(page, testInfo, 'wizard-2-guest');
  await page.getByTestId('wizard-back').click();
  await page.getByTestId('platform-docker').uncheck();
  await page.getByTestId('platform-qemu-tcg').uncheck();
  await page.getByTestId('skip-unavailable').uncheck();
  await expect(page.getByTestId('step-guest')).toHaveCount(0);

  // 3. Benchmarks: quick preset, linpack + forksum only.
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-benchmarks')).toBeVisible();
  await page.getByTestId('profile-quick').check();
  for (const id of ['memsweep', 'diskwrite', 'syscall', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await expect(page.getByTestId('bench-linpack')).toBeChecked();
  await expect(page.getByTestId('bench-forksum')).toBeChecked();
  // A bad parameter is flagged at once, then cleared.
  await page.getByTestId('param-linpack-size').fill('2');
  await expect(page.getByTestId('param-linpack-size-error')).toContainText('at least 4');
  await page.getByTestId('param-linpack-size').fill('');
  await shot(page, testInfo, 'wizard-3-benchmarks');

  // 4. Repetitions
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-repetitions')).toBeVisible();
  await page.getByTestId('reps-count').fill('2');
  await page.getByTestId('reps-warmup').fill('0');
  await shot(page, testInfo, 'wizard-4-repetitions');

  // 5. Review: exact command lines and the estimate.
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  await page.getByTestId('experiment-name').fill('e2e linpack + forksum');
  await expect(page.getByTestId('preview-estimate')).toContainText('4 repetitions');
  await expect(page.getByTestId('preview-commands')).toContainText('linpack');
  await expect(page.getByTestId('preview-commands')).toContainText('forksum');
  // The user's own expectation: native ≈ Docker within 10% on linpack. Docker is not in this
  // run, so the finding must say it cannot be checked (and why), with the numbers behind it.
  await expect(page.getByTestId('expectations')).toBeVisible();
  await page.getByTestId('expectation-kind').selectOption('approx');
  await page.getByTestId('expectation-benchmark').selectOption('linpack');
  await page.getByTestId('expectation-a').selectOption('native');
  await page.getByTestId('expectation-b').selectOption('native');
  await expect(page.getByTestId('expectation-problem')).toContainText('two different platforms');
  await expect(page.getByTestId('expectation-add')).toBeDisabled();
  await page.getByTestId('expectation-b').selectOption('docker');
  await page.getByTestId('expectation-within').fill('10');
  await page.getByTestId('expectation-add').click();
  await expect(page.getByTestId('expectation-item-0')).toHaveText(
    /Native ≈ Docker within 10% on LINPACK/,
  );
  await shot(page, testInfo, 'wizard-5-review');

  // Run: the console receives the benchmark's output while the run is going on.
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-view')).toBeVisible();
  const consolePane = page.getByTestId('console-native');
  await expect(consolePane).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  const liveBytes = Number(await consolePane.getAttribute('data-live-bytes'));
  expect(liveBytes).toBeGreaterThan(0);
  // Each repetition starts with its command line; the result's protocol line is not shown.
  // The terminal shows its last rows only: LINPACK's headers may have scrolled out above
  // (its calibration prints more lines on a faster machine), the last repetition's has not.
  const terminal = page.getByTestId('console-terminal-native');
  await expect(terminal).toContainText('# benchvisor (native):');
  await expect(terminal).toContainText('forksum --start');
  await expect(terminal).not.toContainText('@@BENCHVISOR');
  await expect(page.getByTestId('progress-overall')).toHaveAttribute('data-done', '4');
  await shot(page, testInfo, 'run-finished');

  // Results: a table per benchmark with n = 2 on native.
  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  for (const b of ['linpack', 'forksum']) {
    await expect(page.getByTestId(`results-table-${b}`)).toBeVisible();
    await expect(page.getByTestId(`results-n-${b}-native`)).toHaveText('2');
    await expect(page.getByTestId(`results-mean-${b}-native`)).not.toHaveText('—');
  }
  // A plot (drawn as SVG) for each benchmark (the normalised overview needs a second platform).
  await expect(page.getByTestId('chart-linpack').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('chart-forksum').locator('svg').first()).toBeVisible();
  // Findings, with the user's expectation evaluated (Docker did not run: cannot check).
  const findings = page.getByTestId('findings');
  await expect(findings).toBeVisible();
  const expectation = page.getByTestId('finding-expectation:0');
  await expect(expectation).toContainText('Native ≈ Docker within 10% on LINPACK');
  await expect(expectation).toContainText('cannot check');
  await expect(expectation).toContainText('docker');
  await shot(page, testInfo, 'results');
  if (process.env['BENCHVISOR_UPDATE_SCREENSHOT']) {
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/screenshot.png' });
  }
  const runId = await page.getByTestId('results-view').getAttribute('data-run-id');
  expect(runId).toBeTruthy();

  // The run's console, read back from its transcript: the commands, not the protocol lines.
  await page.getByTestId('past-consoles-toggle').click();
  await page.getByTestId('past-console-open-native').click();
  const past = page.getByTestId('console-terminal-native');
  await expect(past).toContainText('# benchvisor (native):');
  await expect(past).toContainText('forksum --start');
  await expect(past).not.toContainText('@@BENCHVISOR');
  await page.getByTestId('past-console-open-native').click(); // closes it again
  await expect(past).toHaveCount(0);

  // Export: the browser downloads the bundle (a zip with report.html inside).
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-bundle').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`benchvisor-${runId}.zip`);
  const zipPath = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(zipPath);
  await expect(page.getByTestId('export-status')).toContainText('Downloading');
  const zipBytes = readFileSync(zipPath);
  expect(zipBytes.length).toBeGreaterThan(0);
  expect(zipBytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const { names, text: reportHtml } = await zipEntries(zipPath, 'report.html');
  expect(names).toEqual(expect.arrayContaining(['report.html', 'csv/samples.csv']));
  expect(reportHtml).toContain('<svg');

  // The bundle's report.html, alone in a folder, renders in Chromium with its plots.
  const reportPath = testInfo.outputPath('exported-report', 'report.html');
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, reportHtml ?? '');
  const reportPage = await page.context().newPage();
  await reportPage.goto(pathToFileURL(reportPath).href);
  await expect(reportPage.locator('svg').first()).toBeVisible();
  await expect(reportPage.locator('body')).toContainText('e2e linpack + forksum');
  await shot(reportPage, testInfo, 'exported-report-html');
  await reportPage.close();

  // History lists the run; a broken bundle is refused with the validator's message.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-table')).toContainText('e2e linpack + forksum');
  await page.getByTestId('import-bundle').setInputFiles({
    name: 'broken.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('this is not a zip archive'),
  });
  await expect(page.getByTestId('import-error')).toContainText(
    'Import failed: not a readable zip file',
  );
  await expect(page.locator('[data-imported="true"]')).toHaveCount(0);

  // Importing the exported bundle adds it to the history, marked imported.
  expect(statSync(zipPath).size).toBe(zipBytes.length);
  await page.getByTestId('import-bundle').setInputFiles(zipPath);
  await expect(page.getByTestId('import-status')).toContainText(`was ${runId}`);
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  const importedRow = page.locator('[data-testid^="history-row-"][data-imported="true"]');
  await expect(importedRow).toHaveCount(1);
  await expect(importedRow).toContainText('e2e linpack + forksum');
  await expect(importedRow).toContainText('imported');
  await shot(page, testInfo, 'history-imported');

  // The imported run opens with the same samples.
  await page.getByTestId('import-open').click();
  await expect(page.getByTestId('results-view')).toContainText('imported');
  await expect(page.getByTestId('results-n-linpack-native')).toHaveText('2');

  // Deleting the imported copy (after a confirmation) removes it and keeps the original.
  const importedId = (await page.getByTestId('results-view').getAttribute('data-run-id'))!;
  expect(importedId).not.toBe(runId);

  // Ticking the original and its imported copy in the history compares them. The verdict shown
  // is the one the shared function computes for the samples this run got (two repetitions per
  // cell: "inconclusive" unless the noise happened to be tiny), never a live-noise outcome.
  const { text: samplesText } = await zipEntries(zipPath, 'samples.ndjson');
  const runSummary = summarize(
    (samplesText ?? '')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => SampleSchema.parse(JSON.parse(l))),
  );
  const expected = compareRuns(runSummary, runSummary);
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-compare')).toBeDisabled();
  await page.getByTestId(`history-select-${runId}`).check();
  await page.getByTestId(`history-select-${importedId}`).check();
  await page.getByTestId('history-compare').click();
  // Two runs open the compare page: the older (the original) is the baseline, the newer (its
  // imported copy) the candidate, named as such; the answer matrix comes first.
  const compareView = page.getByTestId('compare-view');
  await expect(compareView).toHaveAttribute('data-baseline', runId!);
  await expect(compareView).toHaveAttribute('data-candidate', importedId);
  await expect(page.getByTestId('compare-baseline')).toContainText('Baseline');
  await expect(page.getByTestId('compare-candidate')).toContainText('Candidate');
  await expect(page.getByRole('heading').first()).toHaveText(
    'Answer: candidate speed relative to the baseline',
  );
  await expect(page.getByTestId('answer-row-native')).toBeVisible();
  const comparison = page.getByTestId(`comparison-${importedId}`);
  for (const bench of ['linpack', 'forksum']) {
    const row = expected.find((r) => r.benchmark === bench && r.platform === 'native');
    expect(row, `${bench} in the comparison`).toBeDefined();
    const badge = comparison.getByTestId(`comparison-verdict-${bench}-native`);
    await expect(badge).toHaveText(verdictText(row!));
    await expect(badge).toHaveAttribute('data-verdict', row!.verdict);
  }
  await shot(page, testInfo, 'history-compare');
  await page.getByTestId('nav-history').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId(`history-delete-${importedId}`).click();
  await expect(page.getByTestId(`history-row-${importedId}`)).toHaveCount(0);
  await expect(page.getByTestId(`history-row-${runId}`)).toHaveCount(1);

  // "Run again…" puts the run's experiment back into the wizard, on the Review step, and
  // "Save config…" downloads it as a file `benchvisor run` accepts.
  await page.getByTestId(`history-again-${runId}`).click();
  await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  await expect(page.getByTestId('experiment-name')).toHaveValue('e2e linpack + forksum');
  await expect(page.getByTestId('preview-estimate')).toContainText('4 repetitions');
  const saving = page.waitForEvent('download');
  await page.getByTestId('save-config').click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe('e2e-linpack-forksum.json');
  const savedPath = testInfo.outputPath(saved.suggestedFilename());
  await saved.saveAs(savedPath);
  const savedConfig = JSON.parse(readFileSync(savedPath, 'utf8')) as {
    platforms: string[];
    benchmarks: unknown[];
    repetitions: { count: number };
    expectations: unknown[];
  };
  expect(savedConfig.platforms).toEqual(['native']);
  expect(savedConfig.benchmarks).toEqual(['linpack', 'forksum']);
  expect(savedConfig.repetitions.count).toBe(2);
  expect(savedConfig.expectations).toHaveLength(1);
  // A file that is not an experiment is refused with the field named.
  await page.getByTestId('step-platforms').click();
  await page.getByTestId('load-config').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ platforms: ['native'], benchmarks: ['nope'] })),
  });
  await expect(page.getByTestId('load-config-error')).toContainText('benchmarks.0');
  expect(pageErrors).toEqual([]);
});
