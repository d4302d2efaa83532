/**
 * Like-for-like checks: did the compared platforms measure the same thing?
 * Each reads facts the platforms record in every sample's meta:
 *   diskHostFs / diskHostInRam   the host filesystem under the disk benchmark's target
 *   cpuVulnerabilities           /sys/devices/system/cpu/vulnerabilities/* (host or guest kernel)
 *   clocksource                  the kernel's current clocksource (host or guest)
 * and one reads the samples themselves: a benchmark's own timed seconds (the
 * guest's clock) longer than the host's wall time around the same repetition.
 */
import { CATALOGUE, type BenchmarkId } from '../catalogue';
import { PLATFORM_INFO } from '../platforms';
import type { Sample } from '../sample';
import { metaValues, targetsIn } from './context';
import type { FindingsInput, RunTarget } from './context';
import { targetOf } from '../targets';
import type { Finding } from './types';

/**
 * A benchmark's own timed part runs inside the host's measurement of the repetition, so it
 * can never be longer; allow this much for rounding and clock granularity before calling the
 * guest's clock wrong (relative, and an absolute floor in milliseconds).
 */
export const CLOCK_TOLERANCE_FRACTION = 0.02;
export const CLOCK_TOLERANCE_MS = 5;
/** The metric in which every binary benchmark reports its timed part, in seconds. */
const TIMED_SECONDS_METRIC = 'seconds';

/** Benchmarks that write to the benchmark disk (they name a size parameter in the catalogue). */
const DISK_BENCHMARKS: readonly BenchmarkId[] = (Object.keys(CATALOGUE) as BenchmarkId[]).filter(
  (b) => CATALOGUE[b].diskSpaceParam !== undefined,
);

/** Each target is compared on its own (a platform id when the run had no variants). */
const title = (t: RunTarget) => t.title;

function firstString(
  samples: readonly Sample[],
  t: RunTarget,
  key: 'diskHostFs' | 'clocksource',
): string | null {
  return metaValues(samples, t.id, key)[0] ?? null;
}

/** Platforms whose disk benchmark wrote to different host filesystems, or to RAM. */
export function diskFilesystems({ samples }: FindingsInput): Finding[] {
  const disk = samples.filter((s) => DISK_BENCHMARKS.includes(s.benchmark));
  const fs = new Map<RunTarget, { type: string; inRam: boolean }>();
  for (const p of targetsIn(disk)) {
    const type = firstString(disk, p, 'diskHostFs');
    if (type === null) continue;
    const inRam = metaValues(disk, p.id, 'diskHostInRam').includes(true);
    fs.set(p, { type, inRam });
  }
  if (fs.size === 0) return [];
  const out: Finding[] = [];
  const numbers: Finding['numbers'] = {};
  for (const [p, f] of fs) numbers[`${p.id} filesystem`] = f.inRam ? `${f.type} (RAM)` : f.type;
  const inRam = [...fs].filter(([, f]) => f.inRam).map(([p]) => p);
  if (inRam.length > 0)
    out.push({
      id: 'disk-in-ram',
      severity: 'problem',
      kind: 'diagnostic',
      title: `${inRam.map(title).join(', ')} wrote the disk benchmark to RAM`,
      explanation: `The disk target of ${inRam.map(title).join(', ')} was on a RAM filesystem (tmpfs), so the figures measure memory copies, not a disk. There O_DIRECT is refused (QEMU's cache=none cannot open an image with it) and cache advice does not apply. Put the run folder on a disk filesystem (the runs folder setting or --out) and run again.`,
      numbers,
    });
  const types = new Set([...fs.values()].map((f) => f.type));
  if (types.size > 1)
    out.push({
      id: 'disk-filesystems-differ',
      severity: 'warn',
      kind: 'diagnostic',
      title: 'The platforms wrote the disk benchmark to different filesystems',
      explanation: `Host filesystems under the disk targets: ${[...fs].map(([p, f]) => `${title(p)} ${f.type}`).join(', ')}. Different filesystems allocate, journal and flush differently, so part of a disk ratio between them is the filesystem, not virtualization. By default every platform writes into the run's scratch folder; a Docker volume or container layer, or a moved run folder, changes that.`,
      numbers,
    });
  return out;
}

/** The vulnerabilities map recorded for a platform (name → kernel status line). */
function vulnerabilities(samples: readonly Sample[], p: RunTarget): Record<string, string> | null {
  return metaValues(samples, p.id, 'cpuVulnerabilities')[0] ?? null;
}

/** A status as the kernel states it ("Mitigation: Retpolines", "Vulnerable", "Not affected"). */
function statusKind(status: string | undefined): string {
  if (status === undefined) return 'not reported';
  return status.trim();
}

/** Compared platforms whose kernels run with different CPU vulnerability mitigations. */
export function mitigationsDiffer({ samples }: FindingsInput): Finding[] {
  const maps = new Map<RunTarget, Record<string, string>>();
  for (const p of targetsIn(samples)) {
    const v = vulnerabilities(samples, p);
    if (v) maps.set(p, v);
  }
  if (maps.size < 2) return [];
  const names = [...new Set([...maps.values()].flatMap((m) => Object.keys(m)))].sort();
  const differing = names.filter(
    (n) => new Set([...maps.values()].map((m) => statusKind(m[n]))).size > 1,
  );
  if (differing.length === 0) return [];
  const numbers: Finding['numbers'] = {};
  for (const n of differing)
    for (const [p, m] of maps) numbers[`${n} (${p.id})`] = statusKind(m[n]);
  return [
    {
      id: 'mitigations-differ',
      severity: 'warn',
      kind: 'diagnostic',
      title: 'The compared kernels run with different CPU vulnerability mitigations',
      explanation: `${differing.join(', ')} ${differing.length === 1 ? 'differs' : 'differ'} between ${[...maps.keys()].map(title).join(', ')} (/sys/devices/system/cpu/vulnerabilities). Mitigations change the cost of system calls, context switches and fork, so part of a syscall or fork ratio between these platforms is the mitigation setting, not virtualization.`,
      numbers,
    },
  ];
}

/** Compared platforms whose kernels read time from different clocksources. */
export function clocksourcesDiffer({ samples }: FindingsInput): Finding[] {
  const sources = new Map<RunTarget, string>();
  for (const p of targetsIn(samples)) {
    const c = firstString(samples, p, 'clocksource');
    if (c !== null) sources.set(p, c);
  }
  if (sources.size < 2 || new Set(sources.values()).size < 2) return [];
  const numbers: Finding['numbers'] = {};
  for (const [p, c] of sources) numbers[`${p.id} clocksource`] = c;
  return [
    {
      id: 'clocksources-differ',
      severity: 'warn',
      kind: 'diagnostic',
      title: 'The compared kernels use different clocksources',
      explanation: `Clocksources: ${[...sources].map(([p, c]) => `${title(p)} ${c}`).join(', ')}. Each benchmark times itself with its kernel's clock; a clocksource such as hpet or acpi_pm makes every clock read a slow, trapping access in a guest (and the time itself may drift), which skews short timings and the syscall benchmark above all.`,
      numbers,
    },
  ];
}

/** Repetitions whose own timed seconds exceed the host's wall time around them. */
export function guestClockAhead({ samples }: FindingsInput): Finding[] {
  const out: Finding[] = [];
  for (const p of targetsIn(samples)) {
    const bad = samples.filter((s) => {
      const inner = s.metrics[TIMED_SECONDS_METRIC];
      if (targetOf(s) !== p.id || inner === undefined || !(s.durationMs > 0)) return false;
      const innerMs = inner * 1000;
      return innerMs > s.durationMs * (1 + CLOCK_TOLERANCE_FRACTION) + CLOCK_TOLERANCE_MS;
    });
    if (bad.length === 0) continue;
    const worst = bad.reduce((a, b) =>
      a.metrics[TIMED_SECONDS_METRIC]! * 1000 - a.durationMs >
      b.metrics[TIMED_SECONDS_METRIC]! * 1000 - b.durationMs
        ? a
        : b,
    );
    out.push({
      id: `clock-problem:${p.id}`,
      severity: 'problem',
      kind: 'diagnostic',
      title: `${title(p)}'s clock ran faster than the host's`,
      explanation: `In ${bad.length} repetition${bad.length === 1 ? '' : 's'} the benchmark's own timed part (measured with the ${PLATFORM_INFO[p.platform].kind === 'vm' ? "guest's" : "platform's"} clock) lasted longer than the host's wall time around the whole repetition, which is impossible with a correct clock. Its time-based figures are not trustworthy; check the guest's clocksource (tsc or kvm-clock) and whether the host was overloaded.`,
      numbers: {
        repetitions: bad.length,
        'worst: benchmark': worst.benchmark,
        'worst: rep': worst.rep,
        'worst: own seconds': worst.metrics[TIMED_SECONDS_METRIC]!,
        'worst: host seconds': Math.round(worst.durationMs) / 1000,
      },
    });
  }
  return out;
}

export const LIKE_FOR_LIKE = [
  diskFilesystems,
  mitigationsDiffer,
  clocksourcesDiffer,
  guestClockAhead,
];
