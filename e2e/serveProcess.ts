/**
 * Starts `benchvisor serve --port 0` as a child process with its runs in a temp folder and
 * reads the start URL (with the token) from its stdout.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How long the server may take to print its URL. */
const START_TIMEOUT_MS = 60_000;

export interface ServeHandle {
  url: string;
  origin: string;
  runsDir: string;
  child: ChildProcess;
  /** TMPDIR of the server process. */
  tmpDir: string;
  stop(): Promise<void>;
}

/** The repository root (this file lives in e2e/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `env`: more environment for the server (a spec's own data folder, an ssh config). */
export async function startServe(root = ROOT, env: NodeJS.ProcessEnv = {}): Promise<ServeHandle> {
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('the UI is not built: run `npm run build` before the e2e tests');
  }
  const runsDir = mkdtempSync(join(tmpdir(), 'benchvisor-e2e-runs-'));
  // The server's own temp folder: its guests' scratch files (and so their qemu command
  // lines) live there, which lets a test find exactly the processes this server started.
  const tmpDir = mkdtempSync(join(tmpdir(), 'benchvisor-e2e-tmp-'));
  const built = join(root, 'out', 'main', 'cli.js');
  const argv = existsSync(built)
    ? [built]
    : ['--import', 'tsx', join(root, 'src', 'main', 'cli.ts')];
  const child = spawn(process.execPath, [...argv, 'serve', '--port', '0'], {
    cwd: root,
    env: {
      ...process.env,
      // Runs go to a scratch folder; the cache (guest kernel, initramfs) is the shared one,
      // so the QEMU test reuses the kernel the integration tests fetched.
      BENCHVISOR_RUNS: runsDir,
      TMPDIR: tmpDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /(http:\/\/\S+\?token=[0-9a-f]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL:\n${output}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(runsDir, { recursive: true, force: true });
    rmSync(tmpDir, { recursive: true, force: true });
  };
  return { url, origin: new URL(url).origin, runsDir, tmpDir, child, stop };
}
