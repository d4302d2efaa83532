/**
 * Where each entry of a zip lies. An honest zip stores every entry once, one after another;
 * a crafted one lets several central-directory records point into the same bytes, so 34 KB
 * inflate into 64 MiB ("overlapping entries", a zip bomb that passes every per-entry ratio).
 * The importer records each entry's span as it reads the directory and refuses an overlap;
 * the size and ratio checks of an entry (checkSizes) live here too.
 */

import type yauzl from 'yauzl';
import { AppFailure } from '../../shared/result';
import type { BundleLimits } from './limits';

/** Size of a zip local file header before its name (fixed by the format). */
const LOCAL_HEADER_BYTES = 30;

interface Span {
  start: number;
  end: number;
  name: string;
}

export class EntrySpans {
  private readonly spans: Span[] = [];

  /**
   * Adds an entry's span: its local header, name and compressed data (the least it occupies;
   * an extra field only makes it longer). Returns the name of an entry it overlaps, or null.
   */
  add(name: string, offset: number, nameBytes: number, compressedSize: number): string | null {
    const span = {
      start: offset,
      end: offset + LOCAL_HEADER_BYTES + nameBytes + compressedSize,
      name,
    };
    // At most a few thousand entries (the entry cap): a linear scan per entry is enough.
    const other = this.spans.find((s) => span.start < s.end && s.start < span.end);
    if (other) return other.name;
    this.spans.push(span);
    return null;
  }
}

/** Why an entry that overlaps `other` is refused. */
export function overlapReason(other: string): string {
  return `overlaps entry "${JSON.stringify(other).slice(1, -1)}" in the zip: an honest bundle stores every file once (overlapping entries are a zip bomb)`;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const invalid = (message: string) => new AppFailure('BUNDLE_INVALID', message);

/**
 * The size checks of one entry: its declared size against the cap of its kind (`max`), the
 * running total, its own compression ratio and the bundle's as a whole (total declared bytes
 * over the zip's size). Returns the new total; throws BUNDLE_INVALID.
 */
export function checkSizes(
  entry: yauzl.Entry,
  shown: string,
  max: number,
  limits: BundleLimits,
  totalBefore: number,
  zipBytes: number,
): number {
  if (entry.uncompressedSize > max) {
    throw invalid(
      `entry "${shown}" declares ${mib(entry.uncompressedSize)}, above the ${mib(max)} limit for this kind of file`,
    );
  }
  const total = totalBefore + entry.uncompressedSize;
  if (total > limits.maxTotalBytes) {
    throw invalid(
      `the bundle's entries add up to more than the ${mib(limits.maxTotalBytes)} limit`,
    );
  }
  if (entry.uncompressedSize > limits.ratioMinBytes) {
    const ratio =
      entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : Infinity;
    if (ratio > limits.maxCompressionRatio) {
      throw invalid(
        `entry "${shown}" expands ${Number.isFinite(ratio) ? Math.round(ratio) : '∞'}× (${entry.compressedSize} → ${entry.uncompressedSize} bytes), above the ${limits.maxCompressionRatio}× limit: looks like a zip bomb`,
      );
    }
  }
  if (total > limits.ratioMinBytes && total / zipBytes > limits.maxCompressionRatio) {
    throw invalid(
      `the bundle's entries expand ${Math.round(total / zipBytes)}× its ${zipBytes} bytes, above the ${limits.maxCompressionRatio}× limit: looks like a zip bomb`,
    );
  }
  return total;
}
