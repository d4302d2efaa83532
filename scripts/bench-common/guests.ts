/**
 * What the bench sections that run guests share (scripts/bench/*.ts are each a
 * section, so their common parts live here): a prepare context, the median of a
 * benchmark's main metric over a few repetitions on one platform, and one boot of
 * our Linux guest under TCG timed from spawning QEMU to the agent's READY.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE } from '../../src/shared/catalogue';
import type { ExperimentConfig } from '../../src/shared/config';
import { median } from '../../src/shared/stats/descriptive';
import type { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import type { Platform, PrepareContext } from '../../src/main/platforms/platform';
import type { ProcessTracker } from '../../src/main/process/tracker';
import { GuestVm } from '../../src/main/qemu/guestVm';
import type { QemuLaunchSpec } from '../../src/main/qemu/qemuArgs';
import { DEFAULT_QEMU_BINARY } from '../../src/main/qemu/qemuTools';

export { median };

/** A boot or a repetition that takes longer than this is a failure of the bench. */
export const BENCH_TIMEOUT_MS = 300_000;

/** A context for platform.prepare that drops console and log output. */
export function quietContext(
  config: ExperimentConfig,
  runDir: string,
  signal: AbortSignal,
  /** The target being prepared (the platform id: nothing varies in a bench). */
  target: string,
): PrepareContext {
  return {
    runId: 'bench',
    target,
    config,
    runDir,
    console: { data: () => undefined },
    log: () => undefined,
    signal,
  };
}

/**
 * Prepares the platform once, runs each benchmark of the config `reps` times and returns
 * the median of its main metric (or why it failed).
 */
export async function medianMainMetrics(
  platform: Platform,
  config: ExperimentConfig,
  runDir: string,
  runners: ReturnType<typeof createBenchmarkRunners>,
  reps: number,
): Promise<Record<string, number | string>> {
  const controller = new AbortController();
  const session = await platform.prepare(
    quietContext(config, runDir, controller.signal, platform.id),
  );
  const out: Record<string, number | string> = {};
  try {
    for (const bench of config.benchmarks) {
      const values: number[] = [];
      for (let i = 0; i < reps; i++) {
        const o = await runners[bench.id].run(session, bench.params, {
          timeoutMs: BENCH_TIMEOUT_MS,
          signal: controller.signal,
        });
        if (o.error) {
          out[bench.id] = `failed: ${o.error}`;
          break;
        }
        const v = o.metrics[CATALOGUE[bench.id].mainMetric];
        if (v !== undefined) values.push(v);
      }
      if (out[bench.id] === undefined) out[bench.id] = median(values);
    }
  } finally {
    await session.dispose();
  }
  return out;
}

/**
 * One TCG boot (1 vCPU) of a kernel and initramfs, in ms from spawning QEMU: to the agent's
 * READY (our guest), or to a console marker (a bare busybox initramfs, no network).
 */
export async function timeLinuxBoot(
  tracker: ProcessTracker,
  boot: { kernel: string; initrd: string; memoryMiB: number; readyMarker?: string },
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bvb-'));
  try {
    const common = {
      accel: 'tcg',
      vcpus: 1,
      memoryMiB: boot.memoryMiB,
      kernel: boot.kernel,
      initrd: boot.initrd,
      qmpSocket: join(dir, 'qmp.sock'),
    } satisfies Partial<QemuLaunchSpec>;
    const marker = boot.readyMarker;
    const vm = await GuestVm.start({
      qemuBinary: DEFAULT_QEMU_BINARY,
      tracker,
      label: marker ? 'bench bare boot' : 'bench guest boot',
      onConsole: () => undefined,
      bootTimeoutMs: BENCH_TIMEOUT_MS,
      readyWhen: marker ? { consoleMarker: marker } : 'agent',
      spec: marker
        ? { ...common, noNetwork: true }
        : { ...common, agentSocket: join(dir, 'agent.sock'), forwards: [] },
    });
    const ms = vm.bootMs;
    await vm.dispose();
    return ms;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
