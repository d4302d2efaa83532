/**
 * The built app (`npm run build`, which scripts/test.sh runs before vitest): tests that drive
 * the CLI spawn out/main/cli.js, as users do, and tests that need the UI serve out/renderer.
 * No test builds anything itself (a vite build per test file costs a minute on two cores) and
 * none runs the CLI through tsx. A missing or stale build fails the test with the fix: a stale
 * one would test old code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js');
export const BUILT_RENDERER = join(ROOT, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Throws unless `output` exists and is newer than every file under `sourceDirs`. */
function requireBuilt(output: string, sourceDirs: string[]): string {
  if (!existsSync(output))
    throw new Error(`${output} is missing: run \`npm run build\` first (scripts/test.sh does)`);
  const builtAt = statSync(output).mtimeMs;
  const stale = sourceDirs.filter((d) => newestMtime(join(ROOT, d)) > builtAt);
  if (stale.length > 0)
    throw new Error(
      `${output} is older than the sources in ${stale.join(', ')}: run \`npm run build\` again`,
    );
  return output;
}

/** Path of the built CLI entry (for `node <path> run …`). */
export function builtCli(): string {
  return requireBuilt(BUILT_CLI, ['src/main', 'src/shared']);
}

/** Folder of the built renderer (index.html + assets), for the web server. */
export function builtRenderer(): string {
  requireBuilt(join(BUILT_RENDERER, 'index.html'), ['src/renderer', 'src/shared']);
  return BUILT_RENDERER;
}
