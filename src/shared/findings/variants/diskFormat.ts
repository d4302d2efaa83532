/**
 * Disk format and preallocation: qcow2 against raw, and a preallocated image against one
 * created with preallocation=off, on the benchmarks that write to the disk.
 */
import { metaOf } from '../../sampleMeta/registry';
import { targetOf } from '../../targets';
import type { FindingsInput } from '../context';
import type { Finding } from '../types';
import {
  DISK_BENCHMARKS,
  FIRST_WRITE_TIMED,
  firstWriteTimed,
  measured,
  UNTIMED_FILL,
} from './diskBenchmarks';
import { variantEffect, type Mechanism } from './effect';
import { baselineFirst, variantPairs } from './pairs';

/** raw is the baseline a format is compared with; preallocation=off the baseline for preallocation. */
const FORMAT_ORDER = ['raw', 'qcow2'];
const PREALLOCATION_ORDER = ['off', 'metadata', 'falloc', 'full'];

const QCOW2_HOW =
  'How they differ: a raw image is the disk byte for byte (a guest offset is a file offset). qcow2 maps the disk in clusters (64 KiB by default) through a two-level table, L1 → L2 → cluster: every request needs its L2 entry (from QEMU’s L2 cache, or read from the image first when it misses), and the first write to a cluster allocates it — QEMU appends the cluster to the image file, writes its L2 entry and raises its refcount, metadata writes that must be ordered before the data counts. preallocation=metadata creates the tables when the image is made (no allocation on first write, lookups remain); preallocation=falloc/full also reserves the data, which brings qcow2 within a few percent of raw.';

/** How to measure allocation when the run timed only the overwrite. */
const ASK_FIRST_WRITE =
  'To measure the cost of allocation itself, run Disk write with “Time the first write” on.';

function formatMechanism(prealloc: string | null, firstWrite: boolean): Mechanism {
  const made = prealloc ? ` These images were created with preallocation=${prealloc}.` : '';
  if (firstWrite)
    return {
      worse: `The cost is qcow2’s allocation on first write and its translation layer: every new cluster is appended to the image with its L2 entry and refcount, and every request needs its L2 lookup.${made} ${FIRST_WRITE_TIMED} preallocation=metadata or full, or raw, avoids the allocation.`,
      better:
        'A format layer cannot remove work, so something else favoured qcow2: how the host filesystem laid out the two files (a raw image with preallocation=off is a sparse file whose blocks the filesystem allocates as they are first written, inside the timed part here), or the host page cache when the cache mode lets it absorb writes. Check the disk-cache finding and repeat the run to see whether it holds.',
      same: `${FIRST_WRITE_TIMED} Even so both formats took the same time at this size: allocating clusters cost little next to the writes themselves.`,
      how: QCOW2_HOW,
    };
  return {
    worse: `The cost is qcow2’s translation layer: the L2 lookup per cluster and qcow2’s extra request handling.${made} ${UNTIMED_FILL} Raw avoids the difference. ${ASK_FIRST_WRITE}`,
    better:
      'A format layer cannot remove work, so something else favoured qcow2: how the host filesystem laid out the two files (a raw image with preallocation=off is a sparse file whose blocks the filesystem allocates as they are first written), or the host page cache when the cache mode lets it absorb writes. Check the disk-cache finding and repeat the run to see whether it holds.',
    same: `${UNTIMED_FILL} With the clusters allocated and their L2 entries cached, what qcow2 adds is a table lookup in memory per 64 KiB, too little to see at this size. ${ASK_FIRST_WRITE}`,
    how: QCOW2_HOW,
  };
}

const PREALLOCATION_HOW =
  'How they differ: preallocation=off leaves the image empty, so the first write to each block allocates it (qcow2: a new cluster, its L2 entry and refcount; raw: the sparse file’s blocks in the host filesystem). metadata writes qcow2’s tables up front; falloc reserves the data blocks with fallocate(); full writes zeroes through the whole image, so nothing is allocated during the run.';

const PREALLOCATION_WORSE =
  'Preallocation should only remove work from the writes; a slower preallocated image points at where its blocks lie on the host (a fully written file is no longer sparse, so the host filesystem cannot place writes freely) or at noise from the host. Repeat the run to see whether it holds.';

function preallocationMechanism(firstWrite: boolean): Mechanism {
  if (firstWrite)
    return {
      better: `Preallocation removed allocation work from the timed writes. ${FIRST_WRITE_TIMED}`,
      worse: PREALLOCATION_WORSE,
      same: `${FIRST_WRITE_TIMED} Preallocation saved nothing measurable at this size.`,
      how: PREALLOCATION_HOW,
    };
  return {
    better: `${UNTIMED_FILL} What preallocation still changed in the timed overwrite is where the image’s blocks lie on the host and the table and refcount updates qcow2 makes. ${ASK_FIRST_WRITE}`,
    worse: PREALLOCATION_WORSE,
    same: `${UNTIMED_FILL} So both images were fully allocated when the clock ran, and preallocation has nothing left to save in the timed part. ${ASK_FIRST_WRITE}`,
    how: PREALLOCATION_HOW,
  };
}

export function diskFormatEffects(input: FindingsInput): Finding[] {
  const benchmarks = measured(input.samples, DISK_BENCHMARKS);
  return variantPairs(input.samples, 'diskFormat', baselineFirst(FORMAT_ORDER)).flatMap((pair) => {
    const first = input.samples.find((s) => targetOf(s) === pair.a.id);
    const made = (first && metaOf(first.meta, 'preallocation')) ?? null;
    return benchmarks.flatMap((b) =>
      variantEffect(input, pair, b, formatMechanism(made, firstWriteTimed(input.samples, b))),
    );
  });
}

export function preallocationEffects(input: FindingsInput): Finding[] {
  const benchmarks = measured(input.samples, DISK_BENCHMARKS);
  return variantPairs(input.samples, 'preallocation', baselineFirst(PREALLOCATION_ORDER)).flatMap(
    (pair) =>
      benchmarks.flatMap((b) =>
        variantEffect(input, pair, b, preallocationMechanism(firstWriteTimed(input.samples, b))),
      ),
  );
}
