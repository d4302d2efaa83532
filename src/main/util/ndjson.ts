/**
 * Bounded NDJSON reading. Run folders and bundles hold NDJSON files
 * (samples.ndjson, run.log.ndjson) that may come from someone else's bundle
 * or a damaged disk, so nothing ever reads one whole: lines are cut from
 * fixed-size chunks, a line longer than `maxLineBytes` or a file with more
 * than `maxLines` lines (blank ones included) is refused with the line number.
 * Memory stays below one chunk plus one line, whatever the file holds.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const KiB = 1024;

export interface NdjsonLimits {
  /** Longest line accepted, in bytes (without the newline). */
  maxLineBytes: number;
  /** Most lines a file may have, blank lines included (so a file of newlines ends early). */
  maxLines: number;
}

/**
 * Caps for every NDJSON file Benchvisor reads. A sample line is about 1 KiB and a
 * log line a few hundred bytes; a run of 10,000 repetitions × 6 benchmarks × 5 platforms
 * writes 300,000 samples, well below the line cap.
 */
export const NDJSON_LIMITS: NdjsonLimits = {
  maxLineBytes: 64 * KiB,
  maxLines: 1_000_000,
};

/** Bytes read per chunk. */
const CHUNK_BYTES = 64 * KiB;
const NEWLINE = 0x0a;

/** A file that breaks a cap: its reason names the file, the line and the cap. */
export class NdjsonLimitError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file} line ${line}: ${message}`);
    this.name = 'NdjsonLimitError';
  }
}

function fmtBytes(n: number): string {
  return n >= KiB * KiB ? `${n / KiB / KiB} MiB` : `${n / KiB} KiB`;
}

/**
 * Splits a byte stream into lines under the caps. Feed chunks with push(),
 * then end(); every complete line goes to `onLine` (1-based line numbers).
 * Throws NdjsonLimitError as soon as a cap is broken (so a stream can stop early).
 */
export class NdjsonLineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lines = 0;

  constructor(
    private readonly file: string,
    private readonly limits: NdjsonLimits,
    private readonly onLine: (text: string, line: number) => void,
  ) {}

  /** Lines seen so far (blank ones included). */
  get lineCount(): number {
    return this.lines;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      this.pendingBytes += end - start;
      if (this.pendingBytes > this.limits.maxLineBytes) {
        throw new NdjsonLimitError(
          this.file,
          this.lines + 1,
          `longer than the ${fmtBytes(this.limits.maxLineBytes)} line limit`,
        );
      }
      if (end > start) this.pending.push(chunk.subarray(start, end));
      if (nl === -1) return;
      this.emit();
      start = nl + 1;
    }
  }

  /** Flushes a last line without a newline. */
  end(): void {
    if (this.pendingBytes > 0) this.emit();
  }

  private emit(): void {
    this.lines++;
    if (this.lines > this.limits.maxLines) {
      throw new NdjsonLimitError(
        this.file,
        this.lines,
        `more than the ${this.limits.maxLines.toLocaleString('en-US')} lines a file may have`,
      );
    }
    const text =
      this.pending.length === 1
        ? (this.pending[0] as Buffer).toString('utf8')
        : Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(text, this.lines);
  }
}

/**
 * Reads an NDJSON file chunk by chunk, calling `onLine` for every line (blank lines too).
 * Throws NdjsonLimitError when a cap is broken, or the fs error when the file cannot be read.
 */
export function readNdjsonFile(
  path: string,
  name: string,
  onLine: (text: string, line: number) => void,
  limits: NdjsonLimits = NDJSON_LIMITS,
): void {
  const splitter = new NdjsonLineSplitter(name, limits, onLine);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      // The splitter keeps sub-views of what it has not emitted yet: give it its own copy.
      splitter.push(Buffer.from(buf.subarray(0, n)));
    }
    splitter.end();
  } finally {
    closeSync(fd);
  }
}
