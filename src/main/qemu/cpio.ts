/**
 * Our own writer for the cpio "newc" format (the format the Linux kernel
 * unpacks as an initramfs). Pure data in, bytes out; gzip is applied by the caller.
 *
 * Layout of one entry: a 110-byte ASCII header ("070701" + 13 eight-digit hex
 * fields), the NUL-terminated name padded to a multiple of 4, then the data
 * padded to a multiple of 4. The archive ends with an entry named TRAILER!!!.
 */

/** Magic of the newc format (no checksum). */
const NEWC_MAGIC = '070701';
/** Entries are aligned to 4 bytes. */
const ALIGN = 4;
/** File type bits of st_mode. */
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const TRAILER = 'TRAILER!!!';

export type CpioEntry =
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

/** Default permission bits per kind. */
const DEFAULT_MODE = { file: 0o644, dir: 0o755, symlink: 0o777, chardev: 0o600 } as const;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function padding(length: number): Buffer {
  const rest = length % ALIGN;
  return Buffer.alloc(rest === 0 ? 0 : ALIGN - rest);
}

/** Normalises a path to the archive form: relative, no "./", no trailing slash. */
export function archivePath(path: string): string {
  const p = path.replace(/^\/+/, '').replace(/^\.\//, '').replace(/\/+$/, '');
  if (p === '' || p.split('/').some((s) => s === '..' || s === '')) {
    throw new Error(`invalid cpio path "${path}"`);
  }
  return p;
}

interface HeaderFields {
  ino: number;
  mode: number;
  nlink: number;
  fileSize: number;
  rdevMajor: number;
  rdevMinor: number;
  nameSize: number;
}

function header(f: HeaderFields): Buffer {
  const fields = [
    f.ino,
    f.mode,
    0, // uid: root
    0, // gid: root
    f.nlink,
    0, // mtime: fixed so identical inputs give identical archives
    f.fileSize,
    0, // devmajor
    0, // devminor
    f.rdevMajor,
    f.rdevMinor,
    f.nameSize,
    0, // check (unused by newc)
  ];
  return Buffer.from(NEWC_MAGIC + fields.map(hex8).join(''), 'ascii');
}

function entryChunks(
  name: string,
  ino: number,
  mode: number,
  data: Uint8Array,
  rdev: [number, number],
  nlink: number,
): Buffer[] {
  const nameBytes = Buffer.from(name + '\0', 'utf8');
  const head = header({
    ino,
    mode,
    nlink,
    fileSize: data.length,
    rdevMajor: rdev[0],
    rdevMinor: rdev[1],
    nameSize: nameBytes.length,
  });
  const chunks = [head, nameBytes, padding(head.length + nameBytes.length)];
  if (data.length > 0)
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.length), padding(data.length));
  return chunks;
}

/**
 * Writes a newc archive. Parent directories that are not listed are added
 * automatically; a path listed twice is an error (the last one would silently win).
 */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const seen = new Set<string>();
  let ino = 1;
  const addDirIfMissing = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    chunks.push(
      ...entryChunks(dir, ino++, S_IFDIR | DEFAULT_MODE.dir, new Uint8Array(0), [0, 0], 2),
    );
  };
  for (const e of entries) {
    const name = archivePath(e.path);
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) addDirIfMissing(parts.slice(0, i).join('/'));
    if (seen.has(name)) {
      if (e.kind === 'dir') continue;
      throw new Error(`cpio path listed twice: ${name}`);
    }
    seen.add(name);
    switch (e.kind) {
      case 'file':
        chunks.push(
          ...entryChunks(name, ino++, S_IFREG | (e.mode ?? DEFAULT_MODE.file), e.data, [0, 0], 1),
        );
        break;
      case 'dir':
        chunks.push(
          ...entryChunks(
            name,
            ino++,
            S_IFDIR | (e.mode ?? DEFAULT_MODE.dir),
            new Uint8Array(0),
            [0, 0],
            2,
          ),
        );
        break;
      case 'symlink':
        chunks.push(
          ...entryChunks(
            name,
            ino++,
            S_IFLNK | DEFAULT_MODE.symlink,
            Buffer.from(e.target, 'utf8'),
            [0, 0],
            1,
          ),
        );
        break;
      case 'chardev':
        chunks.push(
          ...entryChunks(
            name,
            ino++,
            S_IFCHR | (e.mode ?? DEFAULT_MODE.chardev),
            new Uint8Array(0),
            [e.major, e.minor],
            1,
          ),
        );
        break;
    }
  }
  chunks.push(...entryChunks(TRAILER, 0, 0, new Uint8Array(0), [0, 0], 1));
  return Buffer.concat(chunks);
}
