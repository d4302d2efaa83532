/**
 * Layer rules (ARCHITECTURE.md "Layers"), checked by `npm run lint`: an upward
 * import or a cycle fails the lint and so `npm test`. Inside src/main the
 * floors are, from the bottom: util, process, host (reading the host) → store
 * (the run folders) → session → benchmarks, payload → qemu (QEMU machinery) →
 * platforms → run (running an experiment), doctor, export →
 * engine (the run-engine port and the local engine) → api, cli, web, shell,
 * agent, hosts, composition → the entry files (index.ts, cli.ts). Every entry
 * of src/main must be on a floor: loading this file fails otherwise.
 */
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const MAIN = '^src/main/';
/** src/main floors, lowest first; a folder may import its own floor and those below. */
const FLOORS = [
  ['util', 'process', 'host'],
  ['store'],
  ['session'],
  ['benchmarks', 'payload'],
  ['qemu'],
  ['platforms'],
  ['run', 'doctor', 'export'],
  ['engine'],
  ['api', 'cli', 'web', 'shell', 'agent', 'hosts', 'composition\\.ts'],
  ['index\\.ts', 'cli\\.ts'],
];

/**
 * The only files of src/main outside host/ that may import node:os, each for a folder's place
 * (tmpdir, homedir) and nothing about the machine: facts about the host (hostname, release,
 * cpus, memory, load) come from the host probe (host/hostProbe.ts).
 */
const OS_FOR_FOLDERS_ONLY = [
  'util/appPaths\\.ts',
  'process/pidDirs\\.ts',
  'qemu/targetDisk\\.ts',
  'platforms/native/hostService\\.ts',
];

const onAFloor = (entry) => FLOORS.flat().some((name) => new RegExp(`^(${name})$`).test(entry));
const strays = readdirSync(join(__dirname, 'src', 'main')).filter((e) => !onAFloor(e));
if (strays.length > 0)
  throw new Error(
    `.dependency-cruiser.cjs: src/main/${strays.join(', src/main/')} is on no floor: add it to FLOORS`,
  );

const folder = (names) => `${MAIN}(${names.join('|')})(/|$)`;

const upward = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `no-upward-from-${floor[0].replace(/\\\\.ts$/, '')}`,
  comment: `src/main/{${floor.join(',')}} may not import a higher floor`,
  severity: 'error',
  from: { path: folder(floor) },
  to: { path: folder(FLOORS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles anywhere',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      comment: 'src/shared imports nothing from main, renderer or preload',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|renderer|preload)/' },
    },
    {
      name: 'renderer-not-main',
      comment: 'the renderer talks to main only through the API contract (src/shared)',
      severity: 'error',
      from: { path: '^src/(renderer|preload)/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^src/(renderer|preload)/' },
    },
    {
      name: 'a-platform-is-a-folder',
      comment:
        'platform folders do not import each other (shared pieces live in platforms/*.ts or below)',
      severity: 'error',
      from: { path: '^src/main/platforms/([^/]+)/' },
      to: { path: '^src/main/platforms/[^/]+/', pathNot: '^src/main/platforms/$1/' },
    },
    {
      name: 'host-facts-through-the-probe',
      comment:
        'src/main reads the host through the host probe: node:os only in host/ (and the listed folder-only uses)',
      severity: 'error',
      from: { path: MAIN, pathNot: `${MAIN}(host/|(${OS_FOR_FOLDERS_ONLY.join('|')})$)` },
      to: { path: '^(node:)?os$' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
