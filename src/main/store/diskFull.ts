/**
 * Writing a run folder on a file system that fills up. A line is written whole or not at all
 * (a short write is cut back, so samples.ndjson never ends in a torn line), a temp file that
 * could not be written is removed, and "no space" becomes one AppFailure that names the
 * folder and the space the write needed: the runner stops at the first one (ActiveRun).
 */
import { ftruncateSync, fstatSync, statfsSync, writeSync } from 'node:fs';
import { AppFailure } from '../../shared/result';

/** Error codes of a full file system (ENOSPC) or an exhausted quota (EDQUOT). */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** A write failed because the file system holding the run folder is full. */
export class DiskFullFailure extends AppFailure {
  constructor(
    readonly folder: string,
    readonly neededBytes: number,
    what: string,
  ) {
    super(
      'IO_ERROR',
      `no space left on the file system holding ${folder}: writing ${what} needed ${neededBytes} more bytes (${freeText(folder)}). The run stopped; the samples already written are kept. Free space there (or use another runs folder) and run again.`,
      { folder, neededBytes },
    );
    this.name = 'DiskFullFailure';
  }
}

function freeText(folder: string): string {
  try {
    const s = statfsSync(folder);
    return `${s.bavail * s.bsize} bytes free`;
  } catch {
    return 'free space unknown';
  }
}

/** Is this error "no space left" (ENOSPC/EDQUOT, or already our DiskFullFailure)? */
export function isDiskFull(e: unknown): boolean {
  if (e instanceof DiskFullFailure) return true;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && FULL_CODES.has(code);
}

/** The failure to throw for `e`: a DiskFullFailure when the disk is full, else `e` itself. */
export function asDiskFull(e: unknown, folder: string, neededBytes: number, what: string): unknown {
  return isDiskFull(e) && !(e instanceof DiskFullFailure)
    ? new DiskFullFailure(folder, neededBytes, what)
    : e;
}

/**
 * Appends `bytes` to an open file (opened for appending) whole: writeSync may write part of
 * a buffer when the disk fills, so it is called until all is written; when it fails, the
 * file is cut back to its size before, so no torn line stays. Throws (DiskFullFailure for a
 * full disk).
 */
export function appendWhole(fd: number, bytes: Buffer, folder: string, what: string): void {
  const before = fstatSync(fd).size;
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } catch (e) {
    try {
      ftruncateSync(fd, before);
    } catch {
      /* the file keeps a torn tail; readers skip an unparsable last line */
    }
    throw asDiskFull(e, folder, bytes.length, what);
  }
}
