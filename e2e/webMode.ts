/** What every web-mode spec needs from globalSetup's server: its URL, its QEMU processes, shots. */
import type { Page, TestInfo } from '@playwright/test';
import { qemuProcesses } from '../test/qemu/helpers';

/** The start URL (with its token) of the web-mode server globalSetup started. */
export function startUrl(): string {
  const url = process.env['BENCHVISOR_E2E_URL'];
  if (!url) throw new Error('BENCHVISOR_E2E_URL is not set: globalSetup did not start web mode');
  return url;
}

/** The QEMU processes of that server (scoped to its temp folder, never another's). */
export function qemuPids(): number[] {
  const serverTmp = process.env['BENCHVISOR_E2E_TMP'];
  if (!serverTmp) throw new Error('BENCHVISOR_E2E_TMP is not set: globalSetup did not run');
  return qemuProcesses(serverTmp);
}

/** A full-page screenshot attached to the test's report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
