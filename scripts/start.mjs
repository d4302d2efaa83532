// `npm start`: opens the desktop app where Electron can run with its sandbox; otherwise says
// why, with the exact fix, and starts web mode (the same UI served to a browser on 127.0.0.1).
// `npm start -- --desktop`: the window or nothing (exits with the launch plan's code).
// Exits non-zero when the window fails (a crash, a signal, an error at start).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronLaunchPlan, readLaunchFacts } from './electronStatus.mjs';
import { forwardOnce } from './signalOnce.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const desktopOnly = process.argv.includes('--desktop');

if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
  console.error(
    'The app is not built yet: run `bash scripts/setup.sh` (or `npm run build`) first.',
  );
  process.exit(1);
}

/** The exit code a child's end maps to: its own code, or 128 + the signal that ended it. */
const exitCodeOf = (code, signal) =>
  signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);

/**
 * Runs the child in its own process group, so a Ctrl+C in the terminal reaches it only through
 * us, once (forwardOnce); exits with its code.
 */
function supervise(child, what) {
  const forward = forwardOnce({ kill: (sig) => child.kill(sig) });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig));
  child.on('error', (e) => {
    console.error(`${what} could not start: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    const exit = exitCodeOf(code, signal);
    if (exit !== 0 && what === 'The desktop window') {
      console.error(
        `${what} failed (${signal ? `ended by ${signal}` : `exit code ${code}`}). ` +
          'Web mode still works: npx benchvisor serve',
      );
    }
    process.exit(exit);
  });
}

const plan = electronLaunchPlan(readLaunchFacts(import.meta.url));
if (process.platform !== 'linux') {
  // The app shows the full note at start too (src/main/shell/hostSupport.ts).
  console.log(`Note: Benchvisor supports Linux hosts only; this is ${process.platform}.`);
}
if (plan.action === 'launch') {
  console.log(plan.message);
  supervise(spawn(plan.bin, [root], { stdio: 'inherit', detached: true }), 'The desktop window');
} else {
  console.log(plan.message);
  if (desktopOnly) process.exit(plan.exitCode);
  console.log('Starting web mode instead. The same command by hand: npx benchvisor serve');
  console.log(
    '(for a remote lab machine, keep it on 127.0.0.1 and use an SSH tunnel: see README).\n',
  );
  supervise(
    spawn(process.execPath, [join(root, 'bin', 'benchvisor.mjs'), 'serve'], {
      stdio: 'inherit',
      detached: true,
    }),
    'Web mode',
  );
}
