/**
 * The bytes under yauzl, with every read checked against the file's size. A zip's own
 * directory says where to read (the ZIP64 end-of-directory locator, central directory offsets,
 * local header offsets); a crafted one can point at 2^62, which makes `fs.read` throw
 * ERR_OUT_OF_RANGE inside a callback, outside any handler, and kills the process. Here such a
 * read fails like a read past the end: an error value that the importer turns into a refusal.
 */
import { close, closeSync, fstatSync, openSync, read } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppFailure } from '../../shared/result';

const invalid = (message: string) => new AppFailure('BUNDLE_INVALID', message);

type Source = { fd: number } | { buffer: Buffer };

/** Bytes read per chunk of an entry's data. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Bytes [start, end) of an open file as a stream that never closes the descriptor (the reader
 * owns it; fs.ReadStream closed a shared descriptor when one entry's stream ended).
 */
function fdRangeStream(fd: number, start: number, end: number): Readable {
  let pos = start;
  return new Readable({
    read(size) {
      const n = Math.min(size, CHUNK_BYTES, end - pos);
      if (n <= 0) return void this.push(null);
      const buf = Buffer.allocUnsafe(n);
      read(fd, buf, 0, n, pos, (e, got) => {
        if (e) return void this.destroy(e);
        if (got === 0) return void this.push(null); // short file: yauzl counts the bytes
        pos += got;
        this.push(buf.subarray(0, got));
      });
    },
  });
}

/** A RandomAccessReader over a file descriptor or a buffer that refuses reads outside it. */
export class BoundedZipReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly source: Source,
    readonly size: number,
  ) {
    super();
  }

  /** Opens a file (the caller hands the reader to yauzl, whose close() closes the fd). */
  static openFile(path: string): BoundedZipReader {
    const fd = openSync(path, 'r');
    try {
      return new BoundedZipReader({ fd }, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  static ofBuffer(buffer: Buffer): BoundedZipReader {
    return new BoundedZipReader({ buffer }, buffer.length);
  }

  /** Why [start, end) cannot be read, or null when it lies inside the file. */
  private outside(start: number, end: number): Error | null {
    const inside =
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(end) &&
      start >= 0 &&
      start <= end &&
      end <= this.size;
    return inside
      ? null
      : new Error(
          `the zip's directory points at bytes ${start}–${end}, outside the file (${this.size} bytes)`,
        );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const bad = this.outside(start, end);
    if (bad) {
      const failing = new PassThrough();
      process.nextTick(() => failing.destroy(bad));
      return failing;
    }
    if ('buffer' in this.source) return Readable.from([this.source.buffer.subarray(start, end)]);
    return fdRangeStream(this.source.fd, start, end);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    const bad = this.outside(position, position + length);
    if (bad) return void setImmediate(() => callback(bad));
    if ('buffer' in this.source) {
      const n = this.source.buffer.copy(buffer, offset, position, position + length);
      return void setImmediate(() => callback(null, n));
    }
    read(this.source.fd, buffer, offset, length, position, (e, n) => callback(e, n));
  }

  override close(callback: (err: Error | null) => void): void {
    if ('fd' in this.source) close(this.source.fd, (e) => callback(e ?? null));
    else setImmediate(() => callback(null));
  }

  /** Closes the file when yauzl never took the reader (it refused the zip at open). */
  closeUnused(): void {
    if ('fd' in this.source) {
      try {
        closeSync(this.source.fd);
      } catch {
        /* already closed */
      }
    }
  }
}

/** Opens a bundle (a file or its bytes) for reading, one entry at a time; BUNDLE_INVALID when it is not a readable zip. */
export function openZip(source: string | Buffer): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    autoClose: false,
  };
  // Every read is range-checked (a crafted ZIP64 locator points anywhere): see boundedZipReader.
  let reader: BoundedZipReader;
  try {
    reader =
      typeof source === 'string'
        ? BoundedZipReader.openFile(source)
        : BoundedZipReader.ofBuffer(source);
  } catch (e) {
    return Promise.reject(
      invalid(`not a readable zip file: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  return new Promise((res, rej) => {
    yauzl.fromRandomAccessReader(reader, reader.size, options, (e, zip) => {
      if (!e) return res(zip);
      reader.closeUnused();
      rej(invalid(`not a readable zip file: ${e.message}`));
    });
  });
}

export function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((res, rej) => {
    const onEntry = (e: yauzl.Entry) => done(() => res(e));
    const onEnd = () => done(() => res(null));
    const onError = (e: Error) => done(() => rej(invalid(`corrupt zip: ${e.message}`)));
    const done = (f: () => void) => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
      f();
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

export function openStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((res, rej) => {
    zip.openReadStream(entry, (e, s) =>
      e ? rej(invalid(`cannot read entry: ${e.message}`)) : res(s),
    );
  });
}
