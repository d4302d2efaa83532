/**
 * Temporary folders named by the pid of the engine that made them (`<prefix><pid>-<random>`):
 * QEMU's socket folders, the unikernel's, the native host service's. An engine killed with
 * SIGKILL cannot remove its own; the next engine removes every such folder whose pid is dead.
 */
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from './pidAlive';

/** The pid a folder name `<prefix><pid>-…` carries; null when the name is not one of those. */
export function pidOfDirName(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const pid = Number(/^([0-9]+)-/.exec(name.slice(prefix.length))?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Removes the folders named `<prefix><pid>-…` under `parent` (default: the OS temp folder)
 * whose pid is neither this process nor alive. Returns the paths it removed; a missing or
 * unreadable parent removes nothing.
 */
export async function sweepDeadPidDirs(
  parent: string | undefined,
  prefix: string,
  alive: (pid: number) => boolean = pidAlive,
): Promise<string[]> {
  const dir = parent ?? tmpdir();
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const e of entries) {
    const pid = pidOfDirName(e, prefix);
    if (pid === null || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, e), { recursive: true, force: true });
    removed.push(join(dir, e));
  }
  return removed;
}
