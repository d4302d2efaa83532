/**
 * The desktop app through Playwright's Electron driver. Runs where the Electron binary exists
 * (it cannot be downloaded on every machine); elsewhere the skip reason says why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron binary's path, or why there is none. */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return {
      reason: `the Electron binary is not installed (expected at ${String(path)}; it could not be downloaded here)`,
    };
  } catch (e) {
    return {
      reason: `the electron package is unusable: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

test('the Electron window opens the wizard through the preload API', async () => {
  const bin = electronBinary();
  test.skip('reason' in bin, 'reason' in bin ? `Electron e2e skipped: ${bin.reason}` : '');
  if (!('path' in bin)) return;
  test.skip(
    !existsSync(join(ROOT, 'out', 'main', 'index.js')),
    'Electron e2e skipped: run `npm run build` first',
  );
  // Electron needs a display; scripts/test.sh runs Playwright under xvfb-run when there is none
  // and xvfb-run exists. Without either, say so instead of failing to launch.
  test.skip(
    !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY,
    'Electron e2e skipped: no display (DISPLAY and WAYLAND_DISPLAY are unset; install xvfb so that scripts/test.sh runs it under xvfb-run)',
  );
  const runs = mkdtempSync(join(tmpdir(), 'benchvisor-electron-runs-'));
  const app = await electron.launch({
    executablePath: bin.path,
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
