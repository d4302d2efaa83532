#!/usr/bin/env node
// Runs the built CLI (out/main/cli.js, from `npm run build`) when it is at
// least as new as the sources; otherwise runs the TypeScript source through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');
/** Source folders the built CLI is made from. */
const SOURCE_DIRS = [join(root, 'src', 'main'), join(root, 'src', 'shared')];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  if (!existsSync(built)) return false;
  if (!SOURCE_DIRS.every((d) => existsSync(d))) return true; // installed without sources
  const builtAt = statSync(built).mtimeMs;
  return SOURCE_DIRS.every((d) => newestMtime(d) <= builtAt);
}

if (process.env.BENCHVISOR_FROM_SOURCE !== '1' && builtIsCurrent()) {
  await import(pathToFileURL(built).href);
} else {
  // A child node with the tsx loader; signals are forwarded so cancel works the same.
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(root, 'src', 'main', 'cli.ts'),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', cwd: process.cwd() },
  );
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => child.kill(sig));
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
}
