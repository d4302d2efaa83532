/**
 * Builds the guest's initramfs: the shared payload (busybox + applets, the
 * benchmark binaries, nginx with its libraries, /etc files), the virtio
 * modules with their dependencies, and our init + agent. Written with our
 * own cpio writer and gzip, cached under <cacheDir>/guest/ by a hash of every
 * input, so it is rebuilt only when an input changes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectPayload, payloadHash, MODE_EXECUTABLE, MODE_REGULAR } from '../payload';
import type { PayloadFile } from '../payload';
import type { AppPaths } from '../util/appPaths';
import { writeCpio, type CpioEntry } from './cpio';
import type { GuestKernel } from './kernel';
import { GUEST_MODULES, selectModules, type ModuleFile } from './modules';

/** Bump when the layout or the format of the archive changes (invalidates caches). */
const INITRAMFS_LAYOUT_VERSION = 1;
/** gzip level: 1 packs fast and the kernel unpacks any level equally fast. */
export const DEFAULT_GZIP_LEVEL = 1;
/** Where modules land inside the guest and the file listing their load order. */
const GUEST_MODULE_DIR = '/lib/modules';
const GUEST_MODULE_LIST = '/etc/benchvisor/modules';
const GUEST_AGENT_PATH = '/etc/benchvisor/agent.sh';
/** The console device the kernel opens for init's stdio (major 5, minor 1). */
const CONSOLE_DEVICE: CpioEntry = {
  kind: 'chardev',
  path: 'dev/console',
  major: 5,
  minor: 1,
  mode: 0o600,
};

export interface InitramfsOptions {
  paths: Pick<AppPaths, 'benchBinDir' | 'resourcesDir' | 'cacheDir'>;
  kernel: GuestKernel;
  busyboxPath?: string;
  nginxPath?: string;
  gzipLevel?: number;
  log?: (message: string) => void;
}

export interface BuiltInitramfs {
  path: string;
  hash: string;
  /** True when this call wrote the file (false: taken from the cache). */
  built: boolean;
  modules: string[];
  bytes: number;
}

async function guestScripts(resourcesDir: string): Promise<PayloadFile[]> {
  const dir = join(resourcesDir, 'guest');
  const [init, agent] = await Promise.all([
    readFile(join(dir, 'init.sh'), 'utf8'),
    readFile(join(dir, 'agent.sh'), 'utf8'),
  ]);
  return [
    { kind: 'inline', dest: '/init', mode: MODE_EXECUTABLE, content: init },
    { kind: 'inline', dest: GUEST_AGENT_PATH, mode: MODE_EXECUTABLE, content: agent },
  ];
}

function moduleFiles(modules: ModuleFile[]): { payload: PayloadFile[]; entries: CpioEntry[] } {
  const list =
    modules.map((m) => basename(m.relPath)).join('\n') + (modules.length > 0 ? '\n' : '');
  return {
    payload: [{ kind: 'inline', dest: GUEST_MODULE_LIST, mode: MODE_REGULAR, content: list }],
    entries: modules.map((m) => ({
      kind: 'file',
      path: `${GUEST_MODULE_DIR}/${basename(m.relPath)}`,
      data: m.data,
      mode: MODE_REGULAR,
    })),
  };
}

/** Turns payload entries into cpio entries (host files are read here). */
export async function payloadToCpio(files: readonly PayloadFile[]): Promise<CpioEntry[]> {
  return Promise.all(
    files.map(async (f): Promise<CpioEntry> => {
      switch (f.kind) {
        case 'file':
          return { kind: 'file', path: f.dest, data: await readFile(f.source), mode: f.mode };
        case 'inline':
          return { kind: 'file', path: f.dest, data: Buffer.from(f.content, 'utf8'), mode: f.mode };
        case 'symlink':
          return { kind: 'symlink', path: f.dest, target: f.target };
        case 'dir':
          return { kind: 'dir', path: f.dest, mode: f.mode };
      }
    }),
  );
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Writes a file atomically (temp name + rename) so a crash never leaves half an image. */
async function writeAtomic(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export async function buildInitramfs(opts: InitramfsOptions): Promise<BuiltInitramfs> {
  const level = opts.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  const selection = opts.kernel.modulesDir
    ? await selectModules(opts.kernel.modulesDir, GUEST_MODULES)
    : { ordered: [], builtin: [] };
  const mods = moduleFiles(selection.ordered);
  const collectOpts = {
    extra: [...(await guestScripts(opts.paths.resourcesDir)), ...mods.payload],
    ...(opts.busyboxPath ? { busyboxPath: opts.busyboxPath } : {}),
    ...(opts.nginxPath ? { nginxPath: opts.nginxPath } : {}),
  };
  const payload = await collectPayload(opts.paths, collectOpts);
  const h = createHash('sha256');
  h.update(`layout ${INITRAMFS_LAYOUT_VERSION} gzip ${level}\n`);
  h.update(`payload ${await payloadHash(payload)}\n`);
  for (const m of selection.ordered)
    h.update(`module ${m.relPath} ${createHash('sha256').update(m.data).digest('hex')}\n`);
  const hash = h.digest('hex').slice(0, 16);
  const dir = join(opts.paths.cacheDir, 'guest');
  const path = join(dir, `initramfs-${hash}.cpio.gz`);
  const modules = selection.ordered.map((m) => m.name);
  if (await fileExists(path))
    return { path, hash, built: false, modules, bytes: (await stat(path)).size };

  opts.log?.(
    `building the guest initramfs (${payload.length} payload entries, ${modules.length} modules)`,
  );
  const entries = [CONSOLE_DEVICE, ...(await payloadToCpio(payload)), ...mods.entries];
  const image = gzipSync(writeCpio(entries), { level });
  await mkdir(dir, { recursive: true });
  await writeAtomic(path, image);
  await pruneInitramfsCache(dir, KEEP_INITRAMFS_IMAGES);
  return { path, hash, built: true, modules, bytes: image.length };
}

/**
 * Images kept in the cache: each payload or kernel change builds a new one, so older ones
 * would pile up. A few are kept so that switching back and forth does not rebuild.
 */
export const KEEP_INITRAMFS_IMAGES = 3;

/** Deletes all but the `keep` newest initramfs images in the cache folder. Never throws. */
export async function pruneInitramfsCache(dir: string, keep: number): Promise<string[]> {
  try {
    const names = (await readdir(dir)).filter((n) => /^initramfs-[0-9a-f]+\.cpio\.gz$/.test(n));
    const dated = await Promise.all(
      names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })),
    );
    const old = dated.sort((a, b) => b.t - a.t).slice(keep);
    await Promise.all(old.map((o) => rm(join(dir, o.n), { force: true })));
    return old.map((o) => o.n);
  } catch {
    return []; // a cache that cannot be tidied is not an error
  }
}

/**
 * A bare initramfs: static busybox and an init that prints a marker and
 * powers off. The reference for "how fast can this kernel boot at all".
 */
export async function buildBareInitramfs(
  cacheDir: string,
  marker: string,
  busyboxPath = '/bin/busybox',
): Promise<string> {
  const init = [
    '#!/bin/busybox sh',
    `/bin/busybox echo ${marker}`,
    '/bin/busybox poweroff -f',
    '',
  ].join('\n');
  const entries: CpioEntry[] = [
    CONSOLE_DEVICE,
    { kind: 'file', path: 'bin/busybox', data: await readFile(busyboxPath), mode: MODE_EXECUTABLE },
    { kind: 'symlink', path: 'bin/sh', target: '/bin/busybox' },
    { kind: 'file', path: 'init', data: Buffer.from(init), mode: MODE_EXECUTABLE },
  ];
  const image = gzipSync(writeCpio(entries), { level: DEFAULT_GZIP_LEVEL });
  const hash = createHash('sha256').update(image).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'guest');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `bare-${hash}.cpio.gz`);
  if (!(await fileExists(path))) await writeAtomic(path, image);
  return path;
}
