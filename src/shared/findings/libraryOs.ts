/**
 * What a library OS (the unikernel platforms) changes, against the Linux guest
 * on the same accelerator, said only when the data shows it: a system call as
 * a trap into the same image, memory without page faults, and boot time; and
 * a CPU-bound gap, which should not be there, explained (libraryOsCpuShare.ts).
 */
import { metaOf } from '../sampleMeta/registry';
import { CATALOGUE, type BenchmarkId } from '../catalogue';
import { libraryOsPairs } from '../platforms';
import { ALPHA, compareCells, pText, relText } from './compare';
import { counterpartOf, mainCellOf, round, targetsOf } from './context';
import type { FindingsInput, RunTarget } from './context';
import { targetOf } from '../targets';
import { sameWorkFindings } from './libraryOsCpuShare';
import type { Finding } from './types';

/** The system call benchmark and the memory benchmark, by catalogue id. */
const SYSCALL: BenchmarkId = 'syscall';
const MEMORY: BenchmarkId = 'memsweep';
/** Sample meta keys: the unikernel's spawn-to-main time per boot; the Linux guest's spawn-to-agent time. */
const LIBOS_BOOT_KEY = 'bootToMainMs';
const GUEST_BOOT_KEY = 'bootMs';

const WHY: Record<string, string> = {
  [SYSCALL]:
    'The program and the library OS are one image in one address space, both in ring 0: a system call is a `syscall` instruction that lands in a function of the same image and returns with a jump. A Linux guest enters its full kernel for each call (privilege switch, entry and exit work, security mitigations on the way back).',
  [MEMORY]:
    'The library OS maps all guest memory once at boot (identity mapping with 2 MiB pages), so the sweep over a fresh allocation takes no page faults (and, on KVM, few TLB misses; under TCG the software TLB of the emulator holds 4 KiB entries whatever the guest maps); the Linux guest faults in every 4 KiB page on first touch and unmaps them again in free(), inside the timed part.',
};

function faster(input: FindingsInput, u: RunTarget, l: RunTarget, b: BenchmarkId): Finding[] {
  const a = mainCellOf(input.summary, u.id, b);
  const g = mainCellOf(input.summary, l.id, b);
  if (!a || !g) return [];
  const c = compareCells(a, g);
  // Only a clear difference: the whole interval above 1 and a significant Welch test.
  if (c.relative === null || c.low === null || c.low <= 1 || c.p === null || c.p >= ALPHA)
    return [];
  return [
    {
      id: `library-os:${u.id}:${b}`,
      severity: 'info',
      kind: 'diagnostic',
      title: `${CATALOGUE[b].title}: ${u.title} is ${c.relative.toFixed(1)}× faster than ${l.title}`,
      explanation: `${u.title} runs ${CATALOGUE[b].title} at ${relText(c)} of the Linux guest's speed (${pText(c.p)}). ${WHY[b]}`,
      numbers: {
        [`${u.id} mean`]: round(a.mean),
        [`${l.id} mean`]: round(g.mean),
        unit: a.unit,
        'relative speed': round(c.relative),
        'CI low': round(c.low),
        'CI high': round(c.high),
        'Welch p': round(c.p),
      },
    },
  ];
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function bootValues(
  input: FindingsInput,
  t: RunTarget,
  key: typeof LIBOS_BOOT_KEY | typeof GUEST_BOOT_KEY,
): number[] {
  return input.samples
    .filter((s) => targetOf(s) === t.id)
    .map((s) => metaOf(s.meta, key))
    .filter((v): v is number => typeof v === 'number' && v > 0);
}

function boot(input: FindingsInput, u: RunTarget, l: RunTarget): Finding[] {
  const ub = median(bootValues(input, u, LIBOS_BOOT_KEY));
  const lb = median(bootValues(input, l, GUEST_BOOT_KEY));
  if (ub === null || lb === null || ub >= lb) return [];
  return [
    {
      id: `library-os:${u.id}:boot`,
      severity: 'info',
      kind: 'diagnostic',
      title: `${u.title} reaches main() in ${Math.round(ub)} ms; ${l.title} needs ${Math.round(lb)} ms to boot`,
      explanation: `Median time from starting QEMU to the program's main() (a fresh boot for every repetition) against the Linux guest's time from starting QEMU to its agent being ready (${(ub / lb).toFixed(2)}×). The library OS has no kernel to decompress, no devices to probe beyond one disk, no init system and no user space to start: it calibrates its clock, sets up memory and the disk, and calls main().`,
      numbers: {
        [`${u.id} boot-to-main ms (median)`]: Math.round(ub),
        [`${l.id} boot-to-ready ms (median)`]: Math.round(lb),
        ratio: round(ub / lb),
      },
    },
  ];
}

export function libraryOsEffects(input: FindingsInput): Finding[] {
  // Each unikernel target against the Linux guest target with the same variant values.
  return libraryOsPairs().flatMap(({ libraryOs, fullOs }) =>
    targetsOf(input.samples, libraryOs).flatMap((u) => {
      const l = counterpartOf(input.samples, u, fullOs);
      return l
        ? [
            ...faster(input, u, l, SYSCALL),
            ...faster(input, u, l, MEMORY),
            ...boot(input, u, l),
            ...sameWorkFindings(input, u, l),
          ]
        : [];
    }),
  );
}
