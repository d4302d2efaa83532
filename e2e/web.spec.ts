/**
 * Web mode in Debian's Chromium: access control, then the whole user path — wizard (with a
 * screenshot per step), a native quick run of linpack + forksum × 2, live console, results.
 */
import { expect, request as apiRequest, test } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import WebSocket from 'ws';

function startUrl(): string {
  const url = process.env['BENCHVISOR_E2E_URL'];
  if (!url) throw new Error('BENCHVISOR_E2E_URL is not set: globalSetup did not start web mode');
  return url;
}
const origin = (): string => new URL(startUrl()).origin;
const wsUrl = (): string => `${origin().replace(/^http/, 'ws')}/api`;

/** Attaches a screenshot to the report and keeps the file in test-results. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
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
  await shot(page, testInfo, 'wizard-2-guest');
  await page.getByTestId('wizard-back').click();
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
  await shot(page, testInfo, 'wizard-5-review');

  // Run: the console receives the benchmark's output while the run is going on.
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-view')).toBeVisible();
  const consolePane = page.getByTestId('console-native');
  await expect(consolePane).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  const liveBytes = Number(await consolePane.getAttribute('data-live-bytes'));
  expect(liveBytes).toBeGreaterThan(0);
  await expect(page.getByTestId('console-terminal-native')).toContainText('@@BENCHVISOR');
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
  await shot(page, testInfo, 'results');
  if (process.env['BENCHVISOR_UPDATE_SCREENSHOT']) {
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/screenshot.png' });
  }

  // History lists the run and opens it again.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-table')).toContainText('e2e linpack + forksum');
  expect(pageErrors).toEqual([]);
});
