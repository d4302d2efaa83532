/**
 * A guest or container that beats the native host is a surprise worth
 * explaining: virtualization adds work, it cannot remove it. The usual causes
 * are that the "native" host is itself a virtual machine, or that the guest
 * does not do the same work (a different kernel, fewer CPUs to coordinate).
 */
import { BENCHMARK_IDS, CATALOGUE, benchmarksWith } from '../catalogue';
import { PLATFORM_IDS, PLATFORM_INFO, REFERENCE_PLATFORM } from '../platforms';
import type { PlatformId } from '../platforms';
import { ALPHA, compareCells, pText, relText } from './compare';
import { hostCores, hostVirtualized, mainCellOf, metaValues, round, targetsOf } from './context';
import type { FindingsInput, RunTarget } from './context';
import type { Finding } from './types';

/** Platforms compared against native: every one but the reference. */
const VIRTUALIZED: readonly PlatformId[] = PLATFORM_IDS.filter((p) => p !== REFERENCE_PLATFORM);
/** Benchmarks whose timed part is mostly kernel work (system calls, process creation, faults). */
const KERNEL_BOUND = new Set<string>(benchmarksWith('kernelBound'));
/** Benchmarks where processes hand work to each other, so the CPU count changes the cost. */
const HAND_OFF = new Set<string>(benchmarksWith('parallel'));

/** First numeric `vcpus` recorded for a target (native falls back to the host's cores). */
function cpuCount(input: FindingsInput, t: RunTarget): number | null {
  const v = metaValues(input.samples, t.id, 'vcpus').find(
    (x): x is number => typeof x === 'number',
  );
  if (v !== undefined) return v;
  return PLATFORM_INFO[t.platform].kind === 'host' ? hostCores(input.environment) : null;
}

export function fasterThanNative(input: FindingsInput): Finding[] {
  const { summary, samples, environment } = input;
  const out: Finding[] = [];
  const nested = hostVirtualized(environment);
  const nativeTarget = targetsOf(samples, REFERENCE_PLATFORM)[0];
  if (!nativeTarget) return [];
  for (const t of VIRTUALIZED.flatMap((p) => targetsOf(samples, p))) {
    const p = t.platform;
    for (const b of BENCHMARK_IDS) {
      const cell = mainCellOf(summary, t.id, b);
      const native = mainCellOf(summary, nativeTarget.id, b);
      if (!cell || !native || cell.n < 2 || native.n < 2) continue;
      const c = compareCells(cell, native);
      // Significantly better than native: the whole CI above 1 and Welch says it differs.
      if (c.low === null || c.low <= 1 || c.p === null || c.p >= ALPHA) continue;
      const reasons: string[] = [];
      if (nested === true) {
        reasons.push(
          'This host is itself a virtual machine (its CPU reports the "hypervisor" flag): "native" runs under an outer hypervisor too, and its system calls, page faults and process creation can cost more there than inside a small guest kernel.',
        );
      }
      const guestKernel = metaValues(samples, t.id, 'kernelVersion').find(
        (v): v is string => typeof v === 'string',
      );
      if (PLATFORM_INFO[p].kind === 'vm' && guestKernel) {
        reasons.push(
          `The guest runs its own kernel (${guestKernel}) with its own configuration and mitigations, so "the same" system call is not the same code.`,
        );
      }
      const cpus = cpuCount(input, t);
      const nativeCpus = cpuCount(input, nativeTarget);
      if (HAND_OFF.has(b) && cpus !== null && nativeCpus !== null && cpus < nativeCpus) {
        reasons.push(
          `It had ${cpus} CPU${cpus === 1 ? '' : 's'} against native's ${nativeCpus}: ${CATALOGUE[b].title} passes work between processes, and on one CPU each hand-off is a cheap local switch, while with several CPUs the kernel wakes the partner on another CPU, which costs more (most of all under an outer hypervisor). Give every platform the same CPU count to compare like with like.`,
        );
      }
      if (KERNEL_BOUND.has(b)) {
        reasons.push(
          `${CATALOGUE[b].title} is dominated by kernel work, which is where a different kernel or an outer hypervisor shows most.`,
        );
      }
      if (reasons.length === 0) {
        reasons.push(
          'Check that both platforms did the same work (parameters, CPU count) and that the host was not loaded while native ran.',
        );
      }
      out.push({
        id: `faster-than-native:${t.id}:${b}`,
        severity: 'warn',
        kind: 'diagnostic',
        title: `${t.title} beat native on ${CATALOGUE[b].title}`,
        explanation: `${t.title} ran at ${relText(c)} of native's speed (${pText(c.p)}). Virtualization adds work; it cannot remove it, so something else differs. ${reasons.join(' ')}`,
        numbers: {
          [`${t.id} mean`]: round(cell.mean),
          'native mean': round(native.mean),
          unit: cell.unit,
          'speed relative to native': round(c.relative),
          'Welch p': round(c.p),
          'host virtualized': nested === null ? null : String(nested),
        },
      });
    }
  }
  return out;
}
