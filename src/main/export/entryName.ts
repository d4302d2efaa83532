/** Validation of a zip entry's name and type, with a specific message for each way it can be unsafe. */

/** Unix file-type bits in the high 16 bits of a zip entry's external attributes. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** "Made by" host system 3 = Unix: only then are the high attribute bits a Unix mode. */
const HOST_UNIX = 3;

/** Returns why the name is unsafe, or null when it is a clean relative path. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL byte in its name';
  if (name.includes('\\'))
    return 'uses a backslash in its path (not allowed: it could be read as a separator)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.includes('..')) return 'escapes the bundle folder with ".."';
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." path segment';
  return null;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** The entry's type from its Unix mode (when made on Unix) or its trailing slash. */
export function entryType(
  name: string,
  externalFileAttributes: number,
  versionMadeBy: number,
): EntryType {
  const unixMode = (externalFileAttributes >>> 16) & 0xffff;
  const fromUnix = versionMadeBy >> 8 === HOST_UNIX || unixMode !== 0;
  if (fromUnix && unixMode !== 0) {
    const t = unixMode & S_IFMT;
    if (t === S_IFLNK) return 'symlink';
    if (t === S_IFDIR) return 'directory';
    if (t !== S_IFREG && t !== 0) return 'other';
  }
  return name.endsWith('/') ? 'directory' : 'file';
}
