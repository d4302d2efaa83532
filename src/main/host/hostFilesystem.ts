/**
 * Which host filesystem holds a path: the mount whose mount point is the
 * longest prefix of the path's real location, from /proc/self/mountinfo.
 * Recorded in every disk sample's meta on every platform, so a report can say
 * when platforms wrote to different filesystems or to RAM (tmpfs).
 */
import type { SampleMetaFields } from '../../shared/sampleMeta/registry';
import { readFile, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface HostFilesystem {
  /** Filesystem type as the kernel names it (ext4, xfs, btrfs, tmpfs, overlay, ...). */
  type: string;
  /** Whether the data lives in RAM (tmpfs, ramfs): disk figures there measure memory. */
  inRam: boolean;
  mountPoint: string;
  /** What is mounted (a device such as /dev/sda1, or "tmpfs"). */
  source: string;
}

/** Filesystems whose files live in RAM. */
export const RAM_FILESYSTEMS: ReadonlySet<string> = new Set(['tmpfs', 'ramfs']);

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

interface MountEntry {
  mountPoint: string;
  type: string;
  source: string;
}

/** Parses /proc/self/mountinfo (proc(5)): field 5 is the mount point, after " - " type and source. */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const tail = line.slice(sep + 3).split(' ');
    const mountPoint = fields[4];
    if (!mountPoint || !tail[0]) continue;
    out.push({
      mountPoint: unescapeMountPath(mountPoint),
      type: tail[0],
      source: unescapeMountPath(tail[1] ?? ''),
    });
  }
  return out;
}

function contains(mountPoint: string, path: string): boolean {
  if (mountPoint === '/') return true;
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/** The mount holding `absPath` (already resolved): longest mount point; a later mount over the same point wins. */
export function mountFor(entries: readonly MountEntry[], absPath: string): HostFilesystem | null {
  let best: MountEntry | null = null;
  for (const e of entries)
    if (contains(e.mountPoint, absPath) && (!best || e.mountPoint.length >= best.mountPoint.length))
      best = e;
  return best ? { ...best, inRam: RAM_FILESYSTEMS.has(best.type) } : null;
}

/** Resolves the deepest existing ancestor (the file itself may not exist yet). */
async function resolveExisting(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      return await realpath(p);
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

export async function hostFilesystemOf(
  path: string,
  mountinfoPath = '/proc/self/mountinfo',
): Promise<HostFilesystem | null> {
  try {
    const [text, real] = await Promise.all([
      readFile(mountinfoPath, 'utf8'),
      resolveExisting(path),
    ]);
    return mountFor(parseMountinfo(text), real);
  } catch {
    return null;
  }
}

/**
 * The meta keys every platform records for its disk benchmark's target: where on the host the
 * bytes land (path, filesystem type, RAM or not). Unknown filesystems are recorded as such.
 */
export function diskHostMeta(hostPath: string, fs: HostFilesystem | null): SampleMetaFields {
  return {
    diskHostPath: hostPath,
    diskHostFs: fs?.type ?? 'unknown',
    diskHostInRam: fs?.inRam ?? false,
    ...(fs ? { diskHostMount: fs.mountPoint } : {}),
  };
}
