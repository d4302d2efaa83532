// Setup step: downloads Electron's binary explicitly (npm 11 does not run the electron
// package's install script; package.json's allowScripts keeps it off so `npm ci` can never
// fail for it). Honours ELECTRON_MIRROR. When the download fails it says so once and exits 0:
// the app still works in web mode.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchOutcomeMessage } from './electronStatus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Longest wait for the download (about 100 MB). */
const FETCH_TIMEOUT_MS = 10 * 60_000;

function binaryPresent() {
  try {
    const bin = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' && existsSync(bin);
  } catch {
    return false;
  }
}

/** Runs electron's own install.js; resolves with its exit and the last line it printed. */
function runInstall() {
  return new Promise((resolve) => {
    const script = join(root, 'node_modules', 'electron', 'install.js');
    if (!existsSync(script)) {
      resolve({ ok: false, detail: 'node_modules/electron is missing (run npm ci first)' });
      return;
    }
    const env = { ...process.env };
    const child = spawn(process.execPath, [script], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), FETCH_TIMEOUT_MS);
    child.on('error', (e) => resolve({ ok: false, detail: e.message }));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const firstError = err
        .split('\n')
        .find((l) => /error/i.test(l))
        ?.trim();
      const detail = signal ? `gave up after ${FETCH_TIMEOUT_MS / 60_000} min` : firstError;
      resolve({ ok: code === 0 && binaryPresent(), detail });
    });
  });
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !binaryPresent()) {
  // The user asked for no download (setup.sh sets it only for npm ci, not for this step).
  console.log(
    'Electron: download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD is set); `npm start` will use web mode.',
  );
  process.exit(0);
}
const outcome = binaryPresent() ? { ok: true } : await runInstall();
console.log(fetchOutcomeMessage({ ...outcome, mirror: process.env.ELECTRON_MIRROR }));
