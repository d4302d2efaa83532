/**
 * Issue #25 item 5: the packaged app finds every resource. A temporary folder is laid out as
 * electron-builder lays out `resources/` from electron-builder.json (files in app.asar — a
 * folder here, an archive that Electron reads transparently there —, asarUnpack beside it,
 * extraResources outside it); a stub `electron` says app.isPackaged and resourcesPath; the main
 * process's resolver and the engine built on it find the page, the preload, the benchmark
 * binaries, the unikernel images, the HTTP load client and node-pty's native binary (loaded).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/composition';
import { loadClientPath } from '../../src/main/benchmarks/nginx/httpLoad';
import type { UnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { mainProcessResources } from '../../src/main/shell/electronResources';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { PACKAGED_LAYOUT, resolveAppResources } from '../../src/main/util/appResources';
import { BINARY_NAMES } from '../../src/shared/catalogue';
import { ROOT, tempDir } from '../engine/helpers';

interface BuilderConfig {
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
}
const CONFIG = JSON.parse(
  readFileSync(join(ROOT, 'electron-builder.json'), 'utf8'),
) as BuilderConfig;

/** Copies `from` (a checkout folder) to `to`, keeping the files the filter (`*.ext`) admits. */
function copyFolder(from: string, to: string, filter?: string[]): void {
  mkdirSync(to, { recursive: true });
  const exts = filter?.map((f) => f.replace(/^\*/, ''));
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!entry.isFile() || (exts && !exts.some((e) => entry.name.endsWith(e)))) continue;
    copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

/** Writes a file, making its folder. */
function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** `resources/` as electron-builder makes it from electron-builder.json (asar as a folder). */
function layOut(resources: string): void {
  const asar = join(resources, PACKAGED_LAYOUT.asar);
  // "files": package.json and the build (the page and the preload stand in for `npm run build`).
  expect(CONFIG.files).toEqual(expect.arrayContaining(['package.json', 'out/**']));
  copyFileSync(
    join(ROOT, 'package.json'),
    (mkdirSync(asar, { recursive: true }), join(asar, 'package.json')),
  );
  put(join(asar, 'out', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  put(join(asar, 'out', 'preload', 'index.cjs'), "'use strict';");
  // "asarUnpack": node-pty, native binary included, beside the archive.
  expect(CONFIG.asarUnpack).toEqual(['node_modules/node-pty/**']);
  const pty = dirname(createRequire(join(ROOT, 'package.json')).resolve('node-pty/package.json'));
  const unpackedPty = join(resources, PACKAGED_LAYOUT.unpacked, 'node_modules', 'node-pty');
  copyFolder(pty, unpackedPty, ['package.json']);
  copyFolder(join(pty, 'build', 'Release'), join(unpackedPty, 'build', 'Release'), ['.node']);
  // "extraResources": real checkout folders (built by setup / the test's global setup).
  for (const { from, to, filter } of CONFIG.extraResources) {
    expect(existsSync(join(ROOT, from)), `${from} is not built: npm run build:bench`).toBe(true);
    copyFolder(join(ROOT, from), join(resources, to), filter);
  }
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

describe('the packaged layout (electron-builder.json) under a stub electron', () => {
  const tmp = tempDir('packaged');
  afterAll(() => tmp.cleanup());
  const resourcesPath = join(tmp.dir, 'resources');
  beforeAll(() => layOut(resourcesPath));
  const electron = { app: { isPackaged: true }, process: { resourcesPath } };
  // The main module's folder does not matter once packaged (no walking up to package.json).
  const r = mainProcessResources(electron, join(tmp.dir, 'nowhere', 'out', 'main'));

  it('finds the page, the preload and its own version inside app.asar', () => {
    expect(r.layout).toBe('packaged');
    expect(r.appRoot).toBe(join(resourcesPath, 'app.asar'));
    expect(existsSync(join(r.rendererDir, 'index.html'))).toBe(true);
    expect(existsSync(r.preload)).toBe(true);
    expect(r.preload.endsWith('.cjs')).toBe(true);
  });

  it('finds the benchmark binaries, the HTTP load client, the unikernel images and guest scripts outside it', () => {
    for (const b of BINARY_NAMES) expect(executable(join(r.benchBinDir, b)), b).toBe(true);
    expect(executable(r.httpClient)).toBe(true);
    const images = readdirSync(r.unikernelDir).filter((f) => f.endsWith('.img'));
    expect(images.length).toBeGreaterThan(0);
    expect(images).toEqual(
      readdirSync(join(ROOT, 'resources', 'unikernel', 'build')).filter((f) => f.endsWith('.img')),
    );
    expect(existsSync(join(r.guestDir, 'init.sh'))).toBe(true);
    for (const dir of [r.benchBinDir, r.unikernelDir, r.guestDir])
      expect(relative(join(resourcesPath, 'app.asar'), dir).startsWith('..')).toBe(true);
  });

  it("finds node-pty's native binary unpacked, and it loads", () => {
    expect(r.nodePty).toBe(join(resourcesPath, 'app.asar.unpacked', 'node_modules', 'node-pty'));
    const binding = createRequire(import.meta.url)(r.nodePtyBinary) as Record<string, unknown>;
    expect(typeof binding['fork']).toBe('function');
  });

  it('the engine built on it uses those paths (native binaries, unikernel images, load client, UI)', async () => {
    const env = { BENCHVISOR_RUNS: join(tmp.dir, 'runs') };
    const paths = defaultAppPaths(env, r);
    expect(paths.root).toBe(r.appRoot);
    expect(paths.rendererDir).toBe(r.rendererDir);
    expect(loadClientPath(paths.benchBinDir)).toBe(r.httpClient);
    const engine = createEngine({ paths, env });
    const native = engine.platforms.find((p) => p.id === 'native') as unknown as {
      binaryPath(name: string): string;
      probe(): Promise<{ available: boolean }>;
    };
    expect(native.binaryPath('linpack')).toBe(join(r.benchBinDir, 'linpack'));
    expect((await native.probe()).available).toBe(true);
    const uk = engine.platforms.find((p) => p.id === 'unikernel-tcg') as UnikernelPlatform;
    expect(uk.imageDir).toBe(r.unikernelDir);
  });

  it('a checkout resolves the same resources where electron-builder.json takes them from', () => {
    const checkout = resolveAppResources({ packaged: false });
    expect(checkout.layout).toBe('package');
    expect(checkout.appRoot).toBe(ROOT);
    const from = (dir: string) => relative(ROOT, dir);
    const to = (dir: string) => relative(resourcesPath, dir);
    const pairs = CONFIG.extraResources.map((e) => [e.from, e.to]);
    expect(pairs).toEqual([
      [from(checkout.benchBinDir), to(r.benchBinDir)],
      [from(checkout.unikernelDir), to(r.unikernelDir)],
      [from(checkout.guestDir), to(r.guestDir)],
    ]);
    expect(existsSync(checkout.nodePtyBinary)).toBe(true);
    expect(checkout.httpClient).toBe(join(checkout.benchBinDir, 'httpload'));
  });
});
