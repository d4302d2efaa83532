/** Automatic diagnostics (DESIGN.md §5): each rule returns zero or more findings. */
import { metaOf } from '../sampleMeta/registry';
import type { Sample } from '../sample';
import { hostDifferences } from './labHosts';
import { vcpuOvercommit } from './overcommit';
import { BENCHMARK_IDS, CATALOGUE, benchmarksWith } from '../catalogue';
import type { BenchmarkId } from '../catalogue';
import {
  PLATFORM_IDS,
  PLATFORM_INFO,
  REFERENCE_PLATFORM,
  platformsOfKind,
  sibling,
} from '../platforms';
import type { Finding } from './types';
import { targetOf } from '../targets';
import { NOISE_THRESHOLD_PERCENT, verdictText } from '../stats/verdict';
import { compareCells, pText, relText } from './compare';
import {
  configCacheMode,
  counterpartOf,
  hostCores,
  hostKvm,
  mainCellOf,
  metaValues,
  round,
  targetsIn,
  targetsOf,
} from './context';
import type { RunTarget } from './context';
import type { FindingsInput } from './context';
import { consoleInput } from './consoleInput';
import { emulationCost } from './emulation';
import { fasterThanNative } from './fasterThanNative';
import { LIKE_FOR_LIKE } from './likeForLike';
import { cpuSteal, frequencyScaling, otherLoad } from './hostNoise';
import { libraryOsEffects } from './libraryOs';
import { LOAD_CLIENT_FINDINGS } from './loadCeiling';
import { highCv, warmup } from './stability';
import { skippedCells } from './skipped';
import { VARIANT_FINDINGS } from './variants';

/**
 * KVM runs guest code on the CPU; TCG translates every instruction. On CPU- and
 * memory-bound work KVM is expected to be many times faster; below this factor
 * the pair is implausible.
 */
export const KVM_MIN_SPEEDUP_OVER_TCG = 2;
/** Benchmarks where the CPU (not a device) dominates, so TCG vs KVM must differ. */
export const CPU_BOUND: readonly BenchmarkId[] = benchmarksWith('deviceBound', false);
/** Cache modes that let the host page cache absorb guest writes. */
export const CACHING_MODES = ['writeback', 'unsafe'];
/** Benchmarks that spread work over several CPUs (a vCPU difference changes them). */
const PARALLEL: readonly BenchmarkId[] = benchmarksWith('parallel');
/** Platforms whose accelerator is KVM (their samples record QMP query-kvm). */
const KVM_PLATFORMS = PLATFORM_IDS.filter((p) => PLATFORM_INFO[p].accelerator === 'kvm');

/** KVM requested but not active: QMP query-kvm (recorded in sample meta) says enabled=false. */
export function kvmInactive(input: FindingsInput): Finding[] {
  return KVM_PLATFORMS.flatMap((p) =>
    targetsOf(input.samples, p).flatMap((t) => kvmInactiveOn(t, input)),
  );
}

/** QMP query-kvm said disabled, or the sample ran under TCG. */
function ranWithoutKvm(s: Sample): boolean {
  return metaOf(s.meta, 'kvmEnabled') === false || metaOf(s.meta, 'accel') === 'tcg';
}

function kvmInactiveOn(t: RunTarget, { samples, environment }: FindingsInput): Finding[] {
  const kvmSamples = samples.filter((s) => targetOf(s) === t.id);
  if (kvmSamples.length === 0) return [];
  const off = kvmSamples.filter(ranWithoutKvm);
  if (off.length === 0) return [];
  const host = hostKvm(environment);
  const hostText =
    host?.devicePresent === false
      ? ' This host has no /dev/kvm, so QEMU could only emulate.'
      : host?.deviceUsable === false
        ? ' /dev/kvm exists but is not usable by this user.'
        : '';
  return [
    {
      id: `kvm-inactive:${t.id}`,
      severity: 'problem',
      kind: 'diagnostic',
      title: 'The KVM guest was not accelerated',
      explanation:
        `QMP query-kvm says enabled=false for ${off.length} of ${kvmSamples.length} "${t.title}" repetitions: ` +
        `the guest ran under TCG emulation, so its figures are emulation figures, not virtualization figures.${hostText}` +
        ' Compare it with the TCG column: they should look alike, which is exactly what this explains.',
      numbers: {
        'repetitions with kvmEnabled=false': off.length,
        [`repetitions on ${t.id}`]: kvmSamples.length,
        '/dev/kvm present': host?.devicePresent === undefined ? null : String(host.devicePresent),
      },
    },
  ];
}

/**
 * A container against native by the shared verdict (stats/verdict.ts): "same" (the speed ratio's
 * CI within the noise threshold) says it is ≈ native; "inconclusive" says how many more
 * repetitions per side would settle it.
 */
export function dockerNative(input: FindingsInput): Finding[] {
  const native = targetsOf(input.samples, REFERENCE_PLATFORM)[0];
  if (!native) return [];
  return platformsOfKind('container').flatMap((p) =>
    targetsOf(input.samples, p).flatMap((t) => containerNative(t, native.id, input)),
  );
}

function containerNative(t: RunTarget, nativeId: string, { summary }: FindingsInput): Finding[] {
  const out: Finding[] = [];
  for (const b of BENCHMARK_IDS) {
    const d = mainCellOf(summary, t.id, b);
    const n = mainCellOf(summary, nativeId, b);
    if (!d || !n || d.n < 2 || n.n < 2) continue;
    const c = compareCells(d, n);
    const v = c.verdict;
    if (v.verdict !== 'same' && v.verdict !== 'inconclusive') continue;
    const same = v.verdict === 'same';
    out.push({
      id: `${t.id}-native:${b}`,
      severity: 'info',
      kind: 'diagnostic',
      title: same
        ? `${t.title} ≈ native on ${CATALOGUE[b].title} (within noise)`
        : `${t.title} vs native on ${CATALOGUE[b].title}: inconclusive`,
      explanation:
        `${t.title} runs at ${relText(c)} of native speed; Welch's test ${pText(c.p)}. ` +
        (same
          ? `The whole interval lies within ±${NOISE_THRESHOLD_PERCENT}%: the difference is within the measurement noise. A container shares the host kernel and runs the same instructions, so no virtualization cost is expected.`
          : `The interval includes 1 but reaches beyond ±${NOISE_THRESHOLD_PERCENT}%, so the data cannot yet tell "same" from "different": ${verdictText(v)}.`),
      numbers: {
        [`${t.id} mean`]: round(d.mean),
        'native mean': round(n.mean),
        unit: d.unit,
        'relative speed': round(c.relative),
        'CI low': round(c.low),
        'CI high': round(c.high),
        'Welch p': round(c.p),
        verdict: v.verdict,
        'more repetitions per side': v.moreRepetitions,
      },
    });
  }
  return out;
}

/** KVM not clearly faster than TCG on CPU-bound benchmarks. */
export function tcgKvmRatio(input: FindingsInput): Finding[] {
  const { summary, samples } = input;
  const out: Finding[] = [];
  for (const kp of KVM_PLATFORMS) {
    const tp = sibling(kp, 'tcg');
    if (!tp) continue;
    for (const k of targetsOf(samples, kp)) {
      const t = counterpartOf(samples, k, tp);
      if (t) out.push(...tcgKvmPair(k, t, summary, samples));
    }
  }
  return out;
}

function tcgKvmPair(
  kt: RunTarget,
  tt: RunTarget,
  summary: FindingsInput['summary'],
  samples: FindingsInput['samples'],
): Finding[] {
  const out: Finding[] = [];
  const kvmOff = samples.some((s) => targetOf(s) === kt.id && ranWithoutKvm(s));
  // One pair per target: the pair's id names the KVM target when the run has variants.
  const key = kt.id === kt.platform ? '' : `${kt.id}:`;
  for (const b of CPU_BOUND) {
    const k = mainCellOf(summary, kt.id, b);
    const t = mainCellOf(summary, tt.id, b);
    if (!k || !t || k.n < 1 || t.n < 1) continue;
    const c = compareCells(k, t);
    if (c.relative === null || c.relative >= KVM_MIN_SPEEDUP_OVER_TCG) continue;
    const why = kvmOff
      ? 'The reason is known: the KVM guest was not accelerated (QMP query-kvm enabled=false), so both columns measured TCG.'
      : 'Check that KVM was really active (QMP query-kvm), that the guests had the same shape, and that nothing else loaded the host.';
    out.push({
      id: `tcg-kvm:${key}${b}`,
      severity: 'problem',
      kind: 'diagnostic',
      title: `${kt.title} is not clearly faster than ${tt.title} on ${CATALOGUE[b].title}`,
      explanation:
        `KVM runs at ${relText(c)} of TCG's speed (${pText(c.p)}); with hardware virtualization a CPU-bound benchmark should run at least ` +
        `${KVM_MIN_SPEEDUP_OVER_TCG}× (typically 10×+) faster than under instruction-by-instruction emulation. ${why}`,
      numbers: {
        [`${kt.id} mean`]: round(k.mean),
        [`${tt.id} mean`]: round(t.mean),
        unit: k.unit,
        'KVM speed / TCG speed': round(c.relative),
        'expected at least': KVM_MIN_SPEEDUP_OVER_TCG,
        'Welch p': round(c.p),
      },
    });
  }
  return out;
}

/** Write-back (or unsafe) cache making disk figures measure the host page cache. */
export function diskCache({ summary, samples, config }: FindingsInput): Finding[] {
  const out: Finding[] = [];
  const nativeTarget = targetsOf(samples, REFERENCE_PLATFORM)[0];
  const native = nativeTarget ? mainCellOf(summary, nativeTarget.id, 'diskwrite') : undefined;
  // Guests first, then containers (the order findings are listed in); each target on its own.
  const kinds = [...platformsOfKind('vm'), ...platformsOfKind('container')];
  for (const t of kinds.flatMap((p) => targetsOf(samples, p))) {
    const p = t.platform;
    const cell = mainCellOf(summary, t.id, 'diskwrite');
    if (!cell || cell.mean === null) continue;
    const metaModes = metaValues(samples, t.id, 'cacheMode').filter(
      (m): m is string => typeof m === 'string',
    );
    const mode =
      metaModes[0] ??
      (PLATFORM_INFO[p].guestFields.includes('cacheMode') ? configCacheMode(config) : null);
    const caching = mode !== null && CACHING_MODES.includes(mode);
    const c = native && native.mean !== null ? compareCells(cell, native) : null;
    const aboveNative =
      c !== null && c.relative !== null && (c.low !== null ? c.low > 1 : c.relative > 1);
    if (!caching && !aboveNative) continue;
    const parts: string[] = [];
    if (caching) {
      parts.push(
        `The disk was attached with cache=${mode}: the guest's writes (and its flushes${mode === 'unsafe' ? ', which unsafe ignores' : ''}) land in the host page cache, so the benchmark measures memory copies rather than the disk.`,
      );
    }
    if (aboveNative && c) {
      parts.push(
        `${t.title} writes at ${relText(c)} of native speed — faster than the host's own disk with O_DIRECT, which a virtual disk cannot be unless a cache absorbs the writes.`,
      );
    }
    parts.push('Use cache=none (O_DIRECT on the host) to measure the device.');
    out.push({
      id: `disk-cache:${t.id}`,
      severity: aboveNative ? 'problem' : 'warn',
      kind: 'diagnostic',
      title: `${t.title} disk figures are inflated by caching`,
      explanation: parts.join(' '),
      numbers: {
        'cache mode': mode,
        [`${t.id} mean`]: round(cell.mean),
        'native mean': round(native?.mean),
        unit: cell.unit,
        'relative to native': round(c?.relative),
      },
    });
  }
  return out;
}

/** Guests/containers with a different CPU count than each other or the host (native uses every core). */
export function vcpuMismatch({ samples, environment }: FindingsInput): Finding[] {
  const counts = new Map<string, number>();
  const titles = new Map<string, string>();
  for (const t of targetsIn(samples)) {
    titles.set(t.id, t.title);
    const v = metaValues(samples, t.id, 'vcpus').find((x): x is number => typeof x === 'number');
    if (v !== undefined) counts.set(t.id, v);
    else if (PLATFORM_INFO[t.platform].kind === 'host') {
      const cores = hostCores(environment);
      if (cores !== null) counts.set(t.id, cores);
    }
  }
  if (counts.size < 2 || new Set(counts.values()).size < 2) return [];
  const parallel = PARALLEL.filter((b) => samples.some((s) => s.benchmark === b));
  const list = [...counts.entries()].map(([t, n]) => `${titles.get(t) ?? t} ${n}`).join(', ');
  const numbers: Finding['numbers'] = {};
  for (const [t, n] of counts) numbers[`${t} CPUs`] = n;
  return [
    {
      id: 'vcpu-mismatch',
      severity: parallel.length > 0 ? 'warn' : 'info',
      kind: 'diagnostic',
      title: 'Platforms had different CPU counts',
      explanation:
        `CPUs available: ${list}. Native always uses every host core; QEMU gives a guest exactly -smp vCPUs (1 by default, not "all host CPUs"), and Docker limits a container with --cpus. ` +
        (parallel.length > 0
          ? `${parallel.map((b) => CATALOGUE[b].title).join(' and ')} can use several CPUs, so part of the difference there is the CPU count, not virtualization.`
          : 'The single-threaded benchmarks are not affected, but the comparison is not "same shape on every platform".'),
      numbers,
    },
  ];
}

export const DIAGNOSTICS = [
  kvmInactive,
  emulationCost,
  skippedCells,
  tcgKvmRatio,
  diskCache,
  vcpuMismatch,
  vcpuOvercommit,
  fasterThanNative,
  otherLoad,
  cpuSteal,
  frequencyScaling,
  warmup,
  highCv,
  consoleInput,
  dockerNative,
  ...LIKE_FOR_LIKE,
  libraryOsEffects,
  ...VARIANT_FINDINGS,
  ...LOAD_CLIENT_FINDINGS,
  hostDifferences,
];
