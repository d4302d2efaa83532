/** Size limits the bundle importer enforces (declared sizes and actual bytes alike). */
import { BUNDLE_UPLOAD_MAX_BYTES } from '../../shared/api';
import { NDJSON_LIMITS, type NdjsonLimits } from '../util/ndjson';

const MiB = 1024 * 1024;

export interface BundleLimits {
  /** Most entries a bundle may have. */
  maxEntries: number;
  /** Largest uncompressed size of one entry, by kind. */
  maxEntryBytes: { json: number; ndjson: number; console: number; other: number };
  /** Largest total uncompressed size. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for an entry bigger than `ratioMinBytes` (zip bombs). */
  maxCompressionRatio: number;
  ratioMinBytes: number;
  /** Largest zip file accepted. */
  maxZipBytes: number;
  /** Line length and line count caps of samples.ndjson and run.log.ndjson. */
  ndjson: NdjsonLimits;
}

export const DEFAULT_LIMITS: BundleLimits = {
  maxEntries: 2000,
  maxEntryBytes: { json: 64 * MiB, ndjson: 512 * MiB, console: 512 * MiB, other: 64 * MiB },
  maxTotalBytes: 2048 * MiB,
  // Plain text logs compress well (≈ 10–50×); 1000× only happens with crafted input.
  maxCompressionRatio: 1000,
  ratioMinBytes: 1 * MiB,
  maxZipBytes: BUNDLE_UPLOAD_MAX_BYTES,
  ndjson: NDJSON_LIMITS,
};
