/**
 * Assembles the payload list: busybox + applets, the benchmark binaries at
 * /bench/<name>, nginx with its shared libraries at their original paths, and
 * the minimal system files. Later entries never silently replace earlier ones:
 * a duplicate destination keeps the first entry (extras come first). The list
 * is sorted by path with every parent folder present, ready for tar or cpio.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppPaths } from '../util/appPaths';
import { BINARY_NAMES, type BinaryName } from '../../shared/catalogue';
import { AppFailure } from '../../shared/result';
import { busyboxFiles, DEFAULT_BUSYBOX_PATH } from './busybox';
import { sharedLibrariesOf } from './sharedLibraries';
import { systemFiles } from './systemFiles';
import { MODE_DIRECTORY, MODE_EXECUTABLE, PAYLOAD_LAYOUT } from './types';
import type { PayloadFile } from './types';

/** Every benchmark binary built by `npm run build:bench` (the catalogue's binary entries). */
export const BENCH_BINARIES: readonly BinaryName[] = BINARY_NAMES;

/** Debian's nginx (nginx-light). */
export const DEFAULT_NGINX_PATH = '/usr/sbin/nginx';

export interface CollectOptions {
  busyboxPath?: string;
  nginxPath?: string;
  /** Leave nginx out when it is not installed instead of failing (default false: nginx is required). */
  nginxOptional?: boolean;
  /** More entries (e.g. the QEMU guest's init and agent); they win over the defaults at the same path. */
  extra?: PayloadFile[];
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path inside the image/guest of a benchmark binary. */
export function benchPath(name: BinaryName): string {
  return `${PAYLOAD_LAYOUT.benchDir}/${name}`;
}

async function benchFiles(benchBinDir: string): Promise<PayloadFile[]> {
  const files: PayloadFile[] = [];
  const missing: string[] = [];
  for (const name of BENCH_BINARIES) {
    const source = join(benchBinDir, name);
    if (await isExecutable(source))
      files.push({ kind: 'file', dest: benchPath(name), mode: MODE_EXECUTABLE, source });
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new AppFailure(
      'TOOL_MISSING',
      `benchmark binaries missing in ${benchBinDir}: ${missing.join(', ')}; build them with: npm run build:bench`,
    );
  }
  return files;
}

async function nginxFiles(nginxPath: string, optional: boolean): Promise<PayloadFile[]> {
  if (!(await isExecutable(nginxPath))) {
    if (optional) return [];
    throw new AppFailure(
      'TOOL_MISSING',
      `nginx not found at ${nginxPath}; install it: apt-get install nginx-light`,
    );
  }
  const libs = await sharedLibrariesOf(nginxPath);
  return [
    { kind: 'file', dest: PAYLOAD_LAYOUT.nginx, mode: MODE_EXECUTABLE, source: nginxPath },
    ...libs.map((lib): PayloadFile => ({
      kind: 'file',
      dest: lib,
      mode: MODE_EXECUTABLE,
      source: lib,
    })),
  ];
}

/** Every ancestor folder of an absolute path ("/a/b/c" -> ["/a", "/a/b"]). */
function ancestors(dest: string): string[] {
  const parts = dest.split('/').filter((p) => p !== '');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push('/' + parts.slice(0, i).join('/'));
  return out;
}

/**
 * Adds a directory entry for every missing parent folder and sorts by path, so
 * every folder comes before its content (cpio archives need that; tar tolerates it).
 */
export function withParentDirectories(files: PayloadFile[]): PayloadFile[] {
  const present = new Set(files.map((f) => f.dest));
  const added: PayloadFile[] = [];
  for (const f of files) {
    for (const dir of ancestors(f.dest)) {
      if (present.has(dir)) continue;
      present.add(dir);
      added.push({ kind: 'dir', dest: dir, mode: MODE_DIRECTORY });
    }
  }
  return [...files, ...added].sort((a, b) => (a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0));
}

/** Removes duplicate destinations: the first entry for a path wins. */
export function dedupePayload(files: PayloadFile[]): PayloadFile[] {
  const seen = new Set<string>();
  const out: PayloadFile[] = [];
  for (const f of files) {
    if (seen.has(f.dest)) continue;
    seen.add(f.dest);
    out.push(f);
  }
  return out;
}

export async function collectPayload(
  paths: Pick<AppPaths, 'benchBinDir'>,
  options: CollectOptions = {},
): Promise<PayloadFile[]> {
  const [busybox, bench, nginx] = await Promise.all([
    busyboxFiles(options.busyboxPath ?? DEFAULT_BUSYBOX_PATH),
    benchFiles(paths.benchBinDir),
    nginxFiles(options.nginxPath ?? DEFAULT_NGINX_PATH, options.nginxOptional ?? false),
  ]);
  return withParentDirectories(
    dedupePayload([...(options.extra ?? []), ...systemFiles(), ...busybox, ...bench, ...nginx]),
  );
}
