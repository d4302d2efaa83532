// `npm start`: opens the desktop app where Electron can run; otherwise says why and
// starts web mode (the same UI served to a browser on 127.0.0.1).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Path of the Electron binary, or the reason it cannot be used. */
function electronBinary() {
  try {
    const bin = require('electron');
    if (typeof bin === 'string' && existsSync(bin)) return { bin };
    return { reason: `the Electron binary was never downloaded (expected at ${bin})` };
  } catch {
    // The electron package throws when its binary was never downloaded; package.json's
    // allowScripts keeps its download script off because machines like ours cannot fetch it.
    return { reason: 'the Electron binary is not installed (its download is not possible here)' };
  }
}

if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
  console.error(
    'The app is not built yet: run `bash scripts/setup.sh` (or `npm run build`) first.',
  );
  process.exit(1);
}

const forward = (child) => {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
};

const { bin, reason } = electronBinary();
const noDisplay = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (bin && !noDisplay) {
  forward(spawn(bin, [root], { stdio: 'inherit' }));
} else {
  const why = reason ?? 'there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)';
  console.log(`Electron cannot start here: ${why}.`);
  console.log('Starting web mode instead. The same command by hand: npx benchvisor serve');
  console.log(
    '(for a remote lab machine, keep it on 127.0.0.1 and use an SSH tunnel: see README).\n',
  );
  forward(
    spawn(process.execPath, [join(root, 'bin', 'benchvisor.mjs'), 'serve'], { stdio: 'inherit' }),
  );
}
