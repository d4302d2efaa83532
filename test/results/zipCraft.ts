/**
 * A tiny zip writer for crafting hostile bundles in tests: raw names, any
 * Unix mode, any declared size. (yazl refuses to write such entries.)
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface CraftEntry {
  name: string;
  data?: Buffer | string;
  /** Unix mode in the external attributes (default regular file 0644). */
  mode?: number;
  /** Overrides the uncompressed size written in the headers. */
  declaredSize?: number;
  deflate?: boolean;
  /** An already deflated body (method 8) with the size and CRC of what it inflates to. */
  deflated?: { body: Buffer; size: number; crc: number };
  /** Overrides the CRC-32 written in the headers (a damaged entry). */
  crc?: number;
  /**
   * Index of an earlier entry whose bytes this one reuses: no local header of its own, a
   * central record pointing at the other's (overlapping entries).
   */
  aliasOf?: number;
}

/** A ZIP64 end-of-central-directory locator pointing at `offset` (inserted before the end record). */
export function zip64Locator(offset: bigint): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(0x07064b50, 0);
  b.writeUInt32LE(0, 4);
  b.writeBigUInt64LE(offset, 8);
  b.writeUInt32LE(1, 16);
  return b;
}

/** The zip with `extra` inserted right before its end-of-central-directory record. */
export function beforeEndRecord(zip: Buffer, extra: Buffer): Buffer {
  const at = zip.length - 22;
  return Buffer.concat([zip.subarray(0, at), extra, zip.subarray(at)]);
}

export function craftZip(entries: CraftEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const written: { offset: number; central: Buffer }[] = [];
  for (const e of entries) {
    if (e.aliasOf !== undefined) {
      const other = written[e.aliasOf]!;
      const name = Buffer.from(e.name, 'utf8');
      const central = Buffer.from(other.central);
      central.writeUInt16LE(name.length, 28);
      centrals.push(central, name);
      written.push({ offset: other.offset, central });
      continue;
    }
    const name = Buffer.from(e.name, 'utf8');
    const raw = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    const body = e.deflated ? e.deflated.body : e.deflate ? deflateRawSync(raw) : raw;
    const method = e.deflate || e.deflated ? 8 : 0;
    const crc = e.crc ?? (e.deflated ? e.deflated.crc : crc32(raw));
    const size = e.declaredSize ?? e.deflated?.size ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    written.push({ offset, central });
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
