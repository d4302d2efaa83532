/**
 * Where things live on disk. Built once by a composition root and passed in;
 * environment variables let tests and CI point everything at scratch folders.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveAppResources, type AppResources } from './appResources';

export interface AppPaths {
  /** The app's root: holds package.json and out/ (a checkout's root, or app.asar when packaged). */
  root: string;
  /** Static benchmark binaries built by `npm run build:bench`. */
  benchBinDir: string;
  /** Other bundled resources: guest/ (init, agent) and unikernel/build (images). */
  resourcesDir: string;
  /** The built UI (index.html and assets), served by web mode and the desktop window. */
  rendererDir: string;
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

/**
 * The paths of this instance: the app's own files from `resources` (appResources.ts: a source
 * checkout or a packaged app), the data folders from the environment.
 */
export function defaultAppPaths(
  env: NodeJS.ProcessEnv = process.env,
  resources: AppResources = resolveAppResources({ packaged: false }),
): AppPaths {
  const root = resources.appRoot;
  const xdgCache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const xdgData = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const appData = env.BENCHVISOR_DATA ? resolve(env.BENCHVISOR_DATA) : join(xdgData, 'benchvisor');
  const runsDir = resolve(env.BENCHVISOR_RUNS || join(appData, 'runs'));
  const dataDir =
    env.BENCHVISOR_RUNS && !env.BENCHVISOR_DATA ? join(runsDir, RUNS_DATA_FOLDER) : appData;
  return {
    root,
    benchBinDir: resolve(env.BENCHVISOR_BENCH_DIR || resources.benchBinDir),
    resourcesDir: resources.resourcesDir,
    rendererDir: resources.rendererDir,
    cacheDir: resolve(env.BENCHVISOR_CACHE || join(xdgCache, 'benchvisor')),
    runsDir,
    dataDir,
    exportsDir: join(dataDir, 'exports'),
    uploadsDir: join(dataDir, 'uploads'),
  };
}
