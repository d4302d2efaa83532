/**
 * Under the guest's disk size: what the chosen benchmarks write to the disk and
 * whether it fits (the same rule as the config check in shared/diskFit.ts).
 * Too small: says so, names the benchmark, and offers the size that fits.
 */
import type { ReactNode } from 'react';
import { CATALOGUE, resolveParams } from '../../../shared/catalogue';
import { diskNeed } from '../../../shared/diskFit';
import { useDomain, useStores } from '../stores/context';

export function DiskFitNote(): ReactNode {
  const { wizard } = useStores();
  const diskSizeMiB = useDomain('wizard', (s) => s.guest.diskSizeMiB);
  const benchmarks = useDomain('wizard', (s) => s.benchmarks);
  const profile = useDomain('wizard', (s) => s.profile);
  const params = useDomain('wizard', (s) => s.params);
  const need = diskNeed(
    benchmarks.map((id) => ({ id, params: resolveParams(id, profile, params[id] ?? {}) })),
  );
  if (!need) return null;
  const title = CATALOGUE[need.benchmark].title;
  if (need.mib <= diskSizeMiB)
    return (
      <p className="disk-fit" data-testid="guest-disk-fit">
        Fits: {title} writes {need.mib} MiB to a {diskSizeMiB} MiB disk.
      </p>
    );
  return (
    <p className="disk-fit reason" data-testid="guest-disk-fit">
      Too small: {title} writes {need.mib} MiB, the disk has {diskSizeMiB} MiB (the run would be
      refused).{' '}
      <button
        type="button"
        data-testid="guest-disk-fit-grow"
        onClick={() => wizard.getState().setGuest({ diskSizeMiB: need.mib })}
      >
        Use {need.mib} MiB
      </button>
    </p>
  );
}
