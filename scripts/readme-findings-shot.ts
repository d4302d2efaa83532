/**
 * README's findings screenshot: serves web mode (the built UI), puts a run folder into its runs,
 * opens the run's results page in Debian's Chromium (Playwright) and photographs the findings (or
 * another part of the page named by its test id: `findings-variants`, `chart-diskwrite`, …).
 *
 *   npm run -s build && node --import tsx scripts/readme-findings-shot.ts <run folder> [out.png] [test id]
 */
import { cpSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startServe } from '../e2e/serveProcess';

/** Height of the picture in CSS pixels (the first findings). */
const SHOT_HEIGHT = 1150;

async function main(): Promise<void> {
  const runDir = process.argv[2];
  if (!runDir) throw new Error('usage: readme-findings-shot.ts <run folder> [out.png] [test id]');
  const out = resolve(process.argv[3] ?? 'docs/findings.png');
  const testId = process.argv[4] ?? 'findings';
  const serve = await startServe();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const runId = basename(resolve(runDir));
    cpSync(resolve(runDir), join(serve.runsDir, runId), { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serve.url);
    await page.getByTestId('nav-history').click();
    await page.getByTestId(`history-open-${runId}`).click();
    const findings = page.getByTestId(testId);
    await findings.waitFor();
    // A chart draws after the page: wait for its SVG.
    if (testId.startsWith('chart-')) await findings.locator('svg').first().waitFor();
    // The top of the list (problems first, then warnings): the whole list is too tall for a README.
    const box = (await findings.boundingBox())!;
    await page.screenshot({
      path: out,
      fullPage: true,
      clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, SHOT_HEIGHT) },
    });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await serve.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
