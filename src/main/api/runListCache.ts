/**
 * The runs listing, cached. Listing reads every run folder (experiment.json, samples counted),
 * about 150 ms for 80 runs here; a burst of 2,000 runs:list calls held the server at 100% CPU
 * for minutes. The listing changes when a run is added, imported or deleted — each of which
 * changes the runs folder itself (mkdir, rename, rm), so the folder's mtime is part of the
 * key — and when a run's status changes: this process tells the cache (invalidate()) and runs
 * of other processes (a CLI run in the same folder) are seen within RUN_LIST_MAX_AGE_MS.
 */
import { statSync } from 'node:fs';
import type { RunListItem } from '../../shared/run';

/** Longest a listing is reused without a change of the runs folder. */
export const RUN_LIST_MAX_AGE_MS = 2_000;

/** What identifies the runs folder's content list: its inode and mtime (ns), or "absent". */
function folderStamp(dir: string): string {
  try {
    const st = statSync(dir, { bigint: true });
    return `${st.ino}:${st.mtimeNs}`;
  } catch {
    return 'absent';
  }
}

export class RunListCache {
  private cached: { items: RunListItem[]; stamp: string; at: number } | null = null;

  constructor(
    private readonly runsDir: string,
    private readonly list: () => RunListItem[],
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = RUN_LIST_MAX_AGE_MS,
  ) {}

  get(): RunListItem[] {
    const stamp = folderStamp(this.runsDir);
    const c = this.cached;
    if (c && c.stamp === stamp && this.now() - c.at < this.maxAgeMs) return c.items;
    const items = this.list();
    this.cached = { items, stamp, at: this.now() };
    return items;
  }

  /** A run of this process changed (started, sample, finished, deleted, imported). */
  invalidate(): void {
    this.cached = null;
  }
}
