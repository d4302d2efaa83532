/**
 * Where things live on disk. Built once by a composition root and passed in;
 * environment variables let tests and CI point everything at scratch folders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  /** The package root (holds package.json and resources/). */
  root: string;
  /** Static benchmark binaries built by `npm run build:bench`. */
  benchBinDir: string;
  /** Other bundled resources (guest init, agent, nginx config templates). */
  resourcesDir: string;
  /** Cache for guest kernels, initramfs images, docker contexts. */
  cacheDir: string;
  /** Where run folders are created. */
  runsDir: string;
  /**
   * This instance's own data folder: exports/ and uploads/ live here. BENCHVISOR_DATA, else
   * a hidden folder inside BENCHVISOR_RUNS when that is set (so `BENCHVISOR_RUNS=$(mktemp -d)`
   * keeps everything in that folder, never in the shared /tmp), else ~/.local/share/benchvisor.
   */
  dataDir: string;
  /** Bundles written by runs:export (served for download in web mode). */
  exportsDir: string;
  /** Chunked bundle uploads until they are imported. */
  uploadsDir: string;
}

/** The data folder's name inside a runs folder given by BENCHVISOR_RUNS (hidden: never listed). */
export const RUNS_DATA_FOLDER = '.benchvisor';

/** Walks up from this module to the folder whose package.json is Benchvisor's. */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
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
    if (parent === dir) throw new Error('cannot find the benchvisor package root');
    dir = parent;
  }
}

export function defaultAppPaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const root = findPackageRoot();
  const xdgCache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const xdgData = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const appData = env.BENCHVISOR_DATA ? resolve(env.BENCHVISOR_DATA) : join(xdgData, 'benchvisor');
  const runsDir = resolve(env.BENCHVISOR_RUNS || join(appData, 'runs'));
  const dataDir =
    env.BENCHVISOR_RUNS && !env.BENCHVISOR_DATA ? join(runsDir, RUNS_DATA_FOLDER) : appData;
  return {
    root,
    benchBinDir: resolve(env.BENCHVISOR_BENCH_DIR || join(root, 'resources', 'bench', 'build')),
    resourcesDir: join(root, 'resources'),
    cacheDir: resolve(env.BENCHVISOR_CACHE || join(xdgCache, 'benchvisor')),
    runsDir,
    dataDir,
    exportsDir: join(dataDir, 'exports'),
    uploadsDir: join(dataDir, 'uploads'),
  };
}
