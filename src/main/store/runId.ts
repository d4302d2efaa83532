/** Run ids: a sortable UTC timestamp plus a short random suffix (unique, safe as a folder name). */
import { randomBytes } from 'node:crypto';

/** Random bytes in the suffix (4 bytes = 8 hex characters). */
const SUFFIX_BYTES = 4;

/** Pattern every run id matches (also used to reject path tricks in lookups). */
export const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$/;

export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2024-05-01T12:34:56.789Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `${stamp}-${randomBytes(SUFFIX_BYTES).toString('hex')}`;
}

/** A run id or imported-run folder name: letters, digits, dot, dash, underscore; no path parts. */
export function isSafeRunName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name) && !name.includes('..');
}
