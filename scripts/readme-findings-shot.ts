/**
 * README's screenshots of a run's results: serves web mode (the built UI), puts a run folder into
 * its runs, opens the run's results page in Debian's Chromium (Playwright) and photographs one
 * part of it from its top: the findings (default) or any element by test id (`findings-variants`,
 * `chart-diskwrite`, `results-view`, …).
 *
 *   npm run -s build && node --import tsx scripts/readme-findings-shot.ts <run folder> [out.png]
 *       [test id | --part <test id>] [--height <CSS px>] [--open-info] [--only <finding id prefix,...>]
 *   e.g. docs/findings.png: the defaults; docs/unikernel-results.png:
 *       --part results-view --height 2400 --open-info --only library-os,skipped
 */
import { cpSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startServe } from '../e2e/serveProcess';

/** Height of the picture in CSS pixels (the first findings). */
const SHOT_HEIGHT = 1150;

interface ShotOptions {
  runDir: string;
  out: string;
  /** Test id of the element photographed from its top. */
  part: string;
  height: number;
  /** Unfold the informational findings first. */
  openInfo: boolean;
  /** Show only the findings whose id starts with one of these (empty: all). */
  only: string[];
}

function parseArgs(argv: string[]): ShotOptions {
  const positional: string[] = [];
  const o = { part: 'findings', height: SHOT_HEIGHT, openInfo: false, only: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--part') o.part = argv[++i] ?? o.part;
    else if (a === '--height') o.height = Number(argv[++i]);
    else if (a === '--open-info') o.openInfo = true;
    else if (a === '--only') o.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else positional.push(a);
  }
  if (!positional[0] || !Number.isFinite(o.height) || o.height <= 0)
    throw new Error(
      'usage: readme-findings-shot.ts <run folder> [out.png] [test id | --part <test id>] [--height <px>] [--open-info] [--only <finding id prefix,...>]',
    );
  return {
    ...o,
    part: positional[2] ?? o.part,
    runDir: positional[0],
    out: resolve(positional[1] ?? 'docs/findings.png'),
  };
}

async function main(): Promise<void> {
  const { runDir, out, part, height, openInfo, only } = parseArgs(process.argv.slice(2));
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
    await page.getByTestId('findings').waitFor();
    if (openInfo && (await page.getByTestId('findings-info-toggle').count()) > 0)
      await page.getByTestId('findings-info-toggle').click();
    if (only.length > 0)
      // Hide the other findings (the picture is about these), by a style rule.
      await page.addStyleTag({
        content: `[data-testid^="finding-"]${only.map((p) => `:not([data-testid^="finding-${p}"])`).join('')} { display: none !important; }`,
      });
    const target = page.getByTestId(part);
    await target.waitFor();
    // A chart draws after the page: wait for its SVG.
    if (part.startsWith('chart-')) await target.locator('svg').first().waitFor();
    // From the top of the part: a whole results page is too tall for a README.
    const box = (await target.boundingBox())!;
    await page.screenshot({
      path: out,
      fullPage: true,
      clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, height) },
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
