/**
 * Where the app's own files are — one module for every layout, so nothing else assumes one:
 *
 * - package layout (a source checkout: vitest/tsx run src/main, `npm start` runs the build in
 *   out/main): the package root holds package.json, out/renderer, out/preload, resources/ and
 *   node_modules/.
 * - packaged layout (electron-builder, electron-builder.json): `<resources>/app.asar` holds
 *   package.json, out/ and the JavaScript dependencies; native modules are unpacked beside it in
 *   `<resources>/app.asar.unpacked/node_modules`; the benchmark binaries (with the HTTP load
 *   client), the unikernel images and the guest scripts are extraResources outside the asar
 *   (executables cannot run from inside an archive, and QEMU reads images by path).
 *
 * The shells pass what they know (Electron: app.isPackaged and process.resourcesPath); the
 * packaged layout's folder names are PACKAGED_LAYOUT, which electron-builder.json mirrors
 * (a test lays a folder out from that file and resolves every resource in it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders inside Electron's resources folder of a packaged app (see electron-builder.json). */
export const PACKAGED_LAYOUT = {
  /** package.json, out/ and the JavaScript dependencies. */
  asar: 'app.asar',
  /** Native modules (node-pty's .node) unpacked from the asar. */
  unpacked: 'app.asar.unpacked',
  /** Static benchmark binaries and the HTTP load client (from resources/bench/build). */
  bench: join('bench', 'build'),
  /** Unikernel images (from resources/unikernel/build). */
  unikernel: join('unikernel', 'build'),
  /** Guest init and agent scripts (from resources/guest). */
  guest: 'guest',
} as const;

/** The HTTP load client's file name among the benchmark binaries (scripts/build-bench.sh). */
export const HTTP_CLIENT_NAME = 'httpload';

export interface AppResources {
  layout: 'package' | 'packaged';
  /** The folder holding package.json and out/ (app.asar when packaged). */
  appRoot: string;
  /** The folder whose guest/, bench/build and unikernel/build hold the runtime resources. */
  resourcesDir: string;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** The sandboxed preload script (CommonJS). */
  preload: string;
  benchBinDir: string;
  unikernelDir: string;
  guestDir: string;
  /** The HTTP load client of the nginx benchmark. */
  httpClient: string;
  /** node-pty's package folder and its native binary (unpacked when packaged). */
  nodePty: string;
  nodePtyBinary: string;
}

export interface ResourceFacts {
  /** Electron's app.isPackaged (false under plain Node). */
  packaged: boolean;
  /** Electron's process.resourcesPath (required when packaged). */
  resourcesPath?: string;
  /** Where to start looking for the package root (default: this module's folder). */
  moduleDir?: string;
}

/** node-pty 1.x looks for its binary in build/Release (compiled by setup on Linux). */
const NODE_PTY_BINARY = join('build', 'Release', 'pty.node');

/** Walks up from `start` to the folder whose package.json is Benchvisor's. */
export function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'benchvisor')
          return dir;
      } catch {
        /* keep walking */
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the benchvisor package root above ${start}`);
    dir = parent;
  }
}

/** node-pty's folder as Node resolves it from the package root. */
function nodePtyFolder(appRoot: string): string {
  try {
    return dirname(createRequire(join(appRoot, 'package.json')).resolve('node-pty/package.json'));
  } catch {
    return join(appRoot, 'node_modules', 'node-pty');
  }
}

/** Every resource's path in the layout the facts describe. */
export function resolveAppResources(facts: ResourceFacts): AppResources {
  if (facts.packaged) {
    if (!facts.resourcesPath) throw new Error('a packaged app needs process.resourcesPath');
    const res = facts.resourcesPath;
    const appRoot = join(res, PACKAGED_LAYOUT.asar);
    const nodePty = join(res, PACKAGED_LAYOUT.unpacked, 'node_modules', 'node-pty');
    const benchBinDir = join(res, PACKAGED_LAYOUT.bench);
    return {
      layout: 'packaged',
      appRoot,
      resourcesDir: res,
      rendererDir: join(appRoot, 'out', 'renderer'),
      preload: join(appRoot, 'out', 'preload', 'index.cjs'),
      benchBinDir,
      unikernelDir: join(res, PACKAGED_LAYOUT.unikernel),
      guestDir: join(res, PACKAGED_LAYOUT.guest),
      httpClient: join(benchBinDir, HTTP_CLIENT_NAME),
      nodePty,
      nodePtyBinary: join(nodePty, NODE_PTY_BINARY),
    };
  }
  const appRoot = findPackageRoot(facts.moduleDir ?? dirname(fileURLToPath(import.meta.url)));
  const resourcesDir = join(appRoot, 'resources');
  const benchBinDir = join(resourcesDir, 'bench', 'build');
  const nodePty = nodePtyFolder(appRoot);
  return {
    layout: 'package',
    appRoot,
    resourcesDir,
    rendererDir: join(appRoot, 'out', 'renderer'),
    preload: join(appRoot, 'out', 'preload', 'index.cjs'),
    benchBinDir,
    unikernelDir: join(resourcesDir, 'unikernel', 'build'),
    guestDir: join(resourcesDir, 'guest'),
    httpClient: join(benchBinDir, HTTP_CLIENT_NAME),
    nodePty,
    nodePtyBinary: join(nodePty, NODE_PTY_BINARY),
  };
}

/** The version in the app's package.json ("0.0.0" when unreadable). */
export function appVersion(resources: Pick<AppResources, 'appRoot'>): string {
  try {
    const pkg = JSON.parse(readFileSync(join(resources.appRoot, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
