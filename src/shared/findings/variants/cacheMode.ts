/**
 * Cache mode: writeback (or another mode) against cache=none, on the benchmarks that write to
 * the disk: who absorbs a write, and what a guest flush means in each mode.
 */
import type { FindingsInput } from '../context';
import type { Finding } from '../types';
import { DISK_BENCHMARKS, measured } from './diskBenchmarks';
import { variantEffect, type Mechanism } from './effect';
import { baselineFirst, variantPairs } from './pairs';

/** cache=none (O_DIRECT, the device measured) is the baseline; then the safer modes first. */
const CACHE_ORDER = ['none', 'directsync', 'writethrough', 'writeback', 'unsafe'];

const HOW =
  'How they differ: cache=none opens the image with O_DIRECT on the host (QEMU then uses native AIO): a guest write goes to the host device, bypassing the host page cache, though it still passes the device’s own volatile write cache. cache=writeback lets the host page cache absorb the writes: a write completes once it is copied into host memory (through QEMU’s thread pool) and reaches the disk later, when the host writes dirty pages back. A guest flush — the benchmark’s closing fsync becomes a virtio-blk FLUSH — makes QEMU fdatasync the image in both modes: with writeback that is when the dirty pages must really reach the disk, with none only the device’s cache is left to flush. (writethrough flushes after every write, directsync is O_DIRECT plus that, unsafe ignores flushes.)';

const MECHANISM: Mechanism = {
  better:
    'The host page cache absorbed the writes: they completed at memory speed and the host wrote them back afterwards or during the final flush, so this figure is partly memory bandwidth, not the disk. Use cache=none to measure the device.',
  worse:
    'Going through the host page cache cost more than it saved here: each write is copied into host memory by QEMU’s thread pool (instead of native AIO straight to the device), and the final flush still had to write every dirty page before the benchmark’s clock stopped.',
  same: 'At this size the closing flush forces every dirty page to the disk before the clock stops, so both modes end up writing the same data to the same device within the timed part.',
  how: HOW,
};

export function cacheModeEffects(input: FindingsInput): Finding[] {
  const benchmarks = measured(input.samples, DISK_BENCHMARKS);
  return variantPairs(input.samples, 'cacheMode', baselineFirst(CACHE_ORDER)).flatMap((pair) =>
    benchmarks.flatMap((b) => variantEffect(input, pair, b, MECHANISM)),
  );
}
