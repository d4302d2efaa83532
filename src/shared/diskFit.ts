/**
 * Does every chosen benchmark fit on the guest's benchmark disk? A benchmark
 * that writes to the disk names its size parameter in the catalogue
 * (`diskSpaceParam`); the disk (guest.diskSizeMiB: the VM's virtio disk and the
 * size stated for every platform's benchmark disk) must hold the largest write.
 * Left unset, the disk is sized to fit; set too small, the config is refused
 * with the field named (the write starts at offset 0 of the device, so the
 * largest write is exactly what is needed).
 */
import { CATALOGUE } from './catalogue';
import type { BenchmarkId, ParamValues } from './catalogue';

export interface DiskNeed {
  /** MiB the largest disk-writing benchmark writes. */
  mib: number;
  benchmark: BenchmarkId;
  /** Index of that benchmark in the config's list, and its parameter (for the field path). */
  index: number;
  param: string;
}

/** The largest benchmark disk write among the benchmarks, or null when none writes to the disk. */
export function diskNeed(
  benchmarks: readonly { id: BenchmarkId; params: ParamValues }[],
): DiskNeed | null {
  let need: DiskNeed | null = null;
  benchmarks.forEach((b, index) => {
    const param = CATALOGUE[b.id].diskSpaceParam;
    const mib = param ? b.params[param] : undefined;
    if (param && mib !== undefined && (need === null || mib > need.mib))
      need = { mib: Math.ceil(mib), benchmark: b.id, index, param };
  });
  return need;
}

export type DiskFit =
  { ok: true; diskSizeMiB: number; grown: boolean } | { ok: false; field: string; message: string };

/**
 * The disk size to use: the configured one when it fits; grown to fit when the user did not set
 * it; else a refusal naming guest.diskSizeMiB and the benchmark that needs more.
 */
export function fitGuestDisk(
  diskSizeMiB: number,
  explicit: boolean,
  need: DiskNeed | null,
): DiskFit {
  if (!need || need.mib <= diskSizeMiB) return { ok: true, diskSizeMiB, grown: false };
  if (!explicit) return { ok: true, diskSizeMiB: need.mib, grown: true };
  return {
    ok: false,
    field: 'guest.diskSizeMiB',
    message: `guest.diskSizeMiB: ${diskSizeMiB} MiB is too small: ${need.benchmark} writes ${need.mib} MiB (benchmarks.${need.index}.params.${need.param}); set it to at least ${need.mib}, or leave it unset to size the disk to fit`,
  };
}
