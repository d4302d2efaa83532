// `npm run dist`: the desktop app packaged by electron-builder (electron-builder.json): an
// AppImage and a .deb for Linux x64. It packages the local Electron binary
// (node_modules/electron/dist, -c.electronDist) instead of downloading one, and says clearly
// what is missing when it cannot build. Extra arguments go to electron-builder (e.g. --dir for
// an unpacked folder only, which needs no packaging tools).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FETCH_ELECTRON_COMMAND, electronBinary } from './electronStatus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'));

/** What must exist before packaging: [what, path, the command that makes it]. */
function missingInputs() {
  const missing = [];
  const need = (what, path, fix) => existsSync(path) || missing.push(`${what} (${path}): ${fix}`);
  need('the built app', join(root, 'out', 'main', 'index.js'), 'npm run build');
  for (const { from } of config.extraResources) {
    const dir = join(root, from);
    const filled = existsSync(dir) && readdirSync(dir).length > 0;
    if (!filled) missing.push(`${from} is empty: npm run build:bench`);
  }
  const binary = electronBinary(import.meta.url);
  if (!('path' in binary) || !binary.exists) {
    const where = 'path' in binary ? ` (expected at ${binary.path})` : '';
    missing.push(
      `the Electron binary${where}, which electron-builder packages: ${FETCH_ELECTRON_COMMAND} ` +
        '(ELECTRON_MIRROR=<url> picks a mirror)',
    );
  }
  return { missing, binary };
}

const { missing, binary } = missingInputs();
if (missing.length > 0) {
  console.error('npm run dist cannot build the packages here; missing:');
  for (const m of missing) console.error(`  - ${m}`);
  console.error(
    "Note: the AppImage and .deb targets also fetch electron-builder's packaging tools on first " +
      'use (ELECTRON_BUILDER_BINARIES_MIRROR picks a mirror); `npm run dist -- --dir` needs none.',
  );
  process.exit(1);
}
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const args = [
  join(root, 'node_modules', 'electron-builder', 'cli.js'),
  '--linux',
  '--x64',
  '--config',
  'electron-builder.json',
  `-c.electronDist=${dirname(binary.path)}`,
  `-c.electronVersion=${electronVersion}`,
  ...process.argv.slice(2),
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
