/**
 * The desktop app through Playwright's Electron driver. Runs where `npm start`'s launch plan
 * says the window can open (scripts/electronStatus.mjs); elsewhere the skip reason says why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronLaunchPlan, readLaunchFacts } from '../scripts/electronStatus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('the Electron window opens the wizard through the preload API', async () => {
  test.skip(
    !existsSync(join(ROOT, 'out', 'main', 'index.js')),
    'Electron e2e skipped: run `npm run build` first',
  );
  // The same launch plan as `npm start` (binary, root, display, Chromium's sandbox): where it
  // says the window cannot open, the skip gives its reason and fix. scripts/test.sh runs
  // Playwright under xvfb-run when there is no display and xvfb-run exists.
  const plan = electronLaunchPlan(readLaunchFacts(import.meta.url));
  test.skip(
    plan.action !== 'launch',
    plan.action !== 'launch' ? `Electron e2e skipped: ${plan.message}` : '',
  );
  if (plan.action !== 'launch') return;
  const runs = mkdtempSync(join(tmpdir(), 'benchvisor-electron-runs-'));
  const app = await electron.launch({
    executablePath: plan.bin,
    args: [ROOT],
    env: { ...process.env, BENCHVISOR_RUNS: runs },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('wizard-step-platforms')).toBeVisible();
    await expect(window.getByTestId('host-info')).toContainText('desktop');
    // The preload exposes exactly call + on.
    const keys = await window.evaluate(() =>
      Object.keys((window as unknown as { benchvisor: object }).benchvisor).sort(),
    );
    expect(keys).toEqual(['call', 'on']);
    const nodeVisible = await window.evaluate(
      () => typeof (globalThis as { require?: unknown }).require,
    );
    expect(nodeVisible).toBe('undefined');
  } finally {
    await app.close();
    rmSync(runs, { recursive: true, force: true });
  }
});
