/**
 * QEMU guest benchmarks (npm run bench):
 *  1. boot-to-agent-ready time of our guest ÷ the boot time of the same
 *     kernel with a busybox-only initramfs (init prints a marker), measured
 *     alternately in this invocation, same accelerator and shape (target ≤ 1.2);
 *  2. per-benchmark TCG ÷ native ratios of the main metric (quick profile).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, BENCHMARK_IDS } from '../../src/shared/catalogue';
import { parseExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExecFileCommands } from '../../src/main/qemu/commands';
import { buildBareInitramfs, buildInitramfs } from '../../src/main/qemu/initramfs';
import { findGuestKernel } from '../../src/main/qemu/kernel';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { createNativePlatform } from '../../src/main/platforms/native/nativePlatform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { median, medianMainMetrics, timeLinuxBoot } from '../bench-common/guests';

/** Boots of each kind (alternating, so load changes hit both alike). */
const BOOT_ROUNDS = 3;
/** Repetitions per benchmark and platform for the ratios (median taken). */
const RATIO_REPS = 3;
const MEMORY_MIB = 512;
const BARE_MARKER = 'BENCHVISOR-BARE-BOOTED';
/** Target of the brief: our guest boots at most 20% slower than a bare kernel + busybox. */
const BOOT_RATIO_TARGET = 1.2;

export async function run(): Promise<void> {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const onExit = (): void => tracker.killAllSync();
  process.once('exit', onExit);
  try {
    const kernel = await findGuestKernel({
      cacheDir: paths.cacheDir,
      commands: new ExecFileCommands(),
      runningVersion: createHostProbe().kernelRelease(),
    });
    const ours = await buildInitramfs({ paths, kernel });
    const bare = await buildBareInitramfs(paths.cacheDir, BARE_MARKER);

    const oursMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < BOOT_ROUNDS; i++) {
      bareMs.push(
        await timeLinuxBoot(tracker, {
          kernel: kernel.vmlinuz,
          initrd: bare,
          memoryMiB: MEMORY_MIB,
          readyMarker: BARE_MARKER,
        }),
      );
      oursMs.push(
        await timeLinuxBoot(tracker, {
          kernel: kernel.vmlinuz,
          initrd: ours.path,
          memoryMiB: MEMORY_MIB,
        }),
      );
    }
    const ratio = median(oursMs) / median(bareMs);
    console.log(
      `qemu boot (TCG, 1 vCPU, ${MEMORY_MIB} MiB, kernel ${kernel.version}, initramfs ${Math.round(ours.bytes / 1024)} KiB):`,
    );
    console.log(
      `  bare kernel + busybox: ${bareMs.map((m) => (m / 1000).toFixed(2)).join(', ')} s (median ${(median(bareMs) / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  our guest to agent READY: ${oursMs.map((m) => (m / 1000).toFixed(2)).join(', ')} s (median ${(median(oursMs) / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  ratio ours ÷ bare: ${ratio.toFixed(2)} (target ≤ ${BOOT_RATIO_TARGET}: ${ratio <= BOOT_RATIO_TARGET ? 'met' : 'NOT met'})`,
    );

    const parsed = parseExperimentConfig({
      platforms: ['native', 'qemu-tcg'],
      profile: 'quick',
      benchmarks: [...BENCHMARK_IDS],
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const runners = createBenchmarkRunners();
    const runDir = await mkdtemp(join(tmpdir(), 'bvb-run-'));
    try {
      const native = createNativePlatform({
        benchBinDir: paths.benchBinDir,
        tracker,
        runners,
      });
      const tcg = createQemuPlatform('tcg', { paths, tracker, runners });
      const n = await medianMainMetrics(native, parsed.config, runDir, runners, RATIO_REPS);
      const t = await medianMainMetrics(tcg, parsed.config, runDir, runners, RATIO_REPS);
      console.log(
        `TCG ÷ native, quick profile, median of ${RATIO_REPS} (main metric; "slowdown" = how many times worse TCG is):`,
      );
      for (const id of BENCHMARK_IDS) {
        const def = CATALOGUE[id];
        const metric = def.metrics.find((m) => m.key === def.mainMetric)!;
        const nv = n[id];
        const tv = t[id];
        if (typeof nv !== 'number' || typeof tv !== 'number') {
          console.log(`  ${id.padEnd(10)} native ${String(nv)}; tcg ${String(tv)}`);
          continue;
        }
        const r = tv / nv;
        const slowdown = metric.direction === 'higher' ? nv / tv : tv / nv;
        console.log(
          `  ${id.padEnd(10)} native ${nv.toPrecision(4)} ${metric.unit}, tcg ${tv.toPrecision(4)} ${metric.unit}: ratio ${r.toPrecision(3)} (slowdown ×${slowdown.toPrecision(3)})`,
        );
      }
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  } finally {
    await tracker.killAll();
    process.removeListener('exit', onExit);
  }
}

// Run directly: node --import tsx scripts/bench/qemu.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
