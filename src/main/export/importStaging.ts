/**
 * Where imports are unpacked before they become runs:
 * `<runsDir>/.staging/import-<pid>-<random>/`. The folder is hidden (listings
 * skip dot-folders, run ids cannot start with a dot), on the runs folder's file
 * system (so the finished run is renamed into place atomically), and carries the
 * pid of the importing process: removed on failure, on SIGINT/SIGTERM (the shells
 * call removeAllSync() on exit) and, when that process was killed outright,
 * swept by the next start (sweepDead()).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from '../process/pidAlive';

/** The staging folder inside the runs folder. */
export const STAGING_FOLDER = '.staging';
/** Prefix of one import's staging folder (followed by `<pid>-<random>`). */
export const STAGING_PREFIX = 'import-';
/** Staging folders of older versions, directly in the runs folder (no pid: swept at start). */
const LEGACY_PREFIX = '.import-';

export class ImportStaging {
  private readonly live = new Set<string>();
  readonly root: string;

  constructor(runsDir: string) {
    this.root = join(runsDir, STAGING_FOLDER);
  }

  /** A new, empty staging folder for one import. */
  create(): string {
    for (let attempt = 0; ; attempt++) {
      mkdirSync(this.root, { recursive: true });
      try {
        const dir = mkdtempSync(join(this.root, `${STAGING_PREFIX}${process.pid}-`));
        this.live.add(dir);
        return dir;
      } catch (e) {
        // Another process removed the empty root between the two calls: once more.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw e;
      }
    }
  }

  /** The folder was renamed into place: nothing left to remove. */
  committed(dir: string): void {
    this.live.delete(dir);
    this.removeRootIfEmpty();
  }

  /** Removes one staging folder (import failed or was cancelled). */
  discard(dir: string): void {
    this.live.delete(dir);
    rmSync(dir, { recursive: true, force: true });
    this.removeRootIfEmpty();
  }

  /** Removes every staging folder of this process (process exit, signals). Synchronous. */
  removeAllSync(): void {
    for (const dir of this.live) rmSync(dir, { recursive: true, force: true });
    this.live.clear();
    this.removeRootIfEmpty();
  }

  /** The staging root goes when no import uses it (another process's import keeps it). */
  private removeRootIfEmpty(): void {
    try {
      rmdirSync(this.root);
    } catch {
      /* not empty (another import) or already gone */
    }
  }

  /** Removes staging folders whose process is dead (and legacy ones); returns their names. */
  sweepDead(): string[] {
    const removed: string[] = [];
    const runsDir = join(this.root, '..');
    try {
      for (const name of readdirSync(runsDir)) {
        if (!name.startsWith(LEGACY_PREFIX)) continue;
        rmSync(join(runsDir, name), { recursive: true, force: true });
        removed.push(name);
      }
      if (!existsSync(this.root)) return removed;
      for (const name of readdirSync(this.root)) {
        const pid = Number(new RegExp(`^${STAGING_PREFIX}(\\d+)-`).exec(name)?.[1]);
        if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || pidAlive(pid))) continue;
        rmSync(join(this.root, name), { recursive: true, force: true });
        removed.push(`${STAGING_FOLDER}/${name}`);
      }
      if (removed.length > 0) this.removeRootIfEmpty();
    } catch {
      /* a runs folder we cannot read is reported by the listing, not here */
    }
    return removed;
  }
}
