// `npm start`: opens the desktop app where Electron can run; otherwise says why and
// starts web mode (the same UI served to a browser on 127.0.0.1).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronLaunchPlan } from './electronStatus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** What `require('electron')` says about its binary (it throws when it was never downloaded). */
function electronBinary() {
  try {
    const bin = require('electron');
    return typeof bin === 'string' ? { path: bin, exists: existsSync(bin) } : { error: 'no path' };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
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

const plan = electronLaunchPlan({
  binary: electronBinary(),
  env: process.env,
  platform: process.platform,
});
if (plan.launch) {
  forward(spawn(plan.bin, [root], { stdio: 'inherit' }));
} else {
  console.log(`The desktop window cannot open here: ${plan.reasons.join('; and ')}.`);
  for (const fix of plan.fixes) console.log(`  - ${fix}`);
  console.log('Starting web mode instead. The same command by hand: npx benchvisor serve');
  console.log(
    '(for a remote lab machine, keep it on 127.0.0.1 and use an SSH tunnel: see README).\n',
  );
  forward(
    spawn(process.execPath, [join(root, 'bin', 'benchvisor.mjs'), 'serve'], { stdio: 'inherit' }),
  );
}
