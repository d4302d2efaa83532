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
import { parseExperimentConfig, type ExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExecFileRunner } from '../../src/main/qemu/commands';
import { GuestVm } from '../../src/main/qemu/guestVm';
import { buildBareInitramfs, buildInitramfs } from '../../src/main/qemu/initramfs';
import { findGuestKernel } from '../../src/main/qemu/kernel';
import { createNativePlatform } from '../../src/main/platforms/native/nativePlatform';
import type { Platform, PlatformSession, PrepareContext } from '../../src/main/platforms/platform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** Boots of each kind (alternating, so load changes hit both alike). */
const BOOT_ROUNDS = 3;
/** Repetitions per benchmark and platform for the ratios (median taken). */
const RATIO_REPS = 3;
const BOOT_TIMEOUT_MS = 300_000;
const REP_TIMEOUT_MS = 300_000;
const BARE_MARKER = 'BENCHVISOR-BARE-BOOTED';
/** Target of the brief: our guest boots at most 20% slower than a bare kernel + busybox. */
const BOOT_RATIO_TARGET = 1.2;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function bootOnce(
  tracker: ProcessTracker,
  kernel: string,
  initrd: string,
  kind: 'ours' | 'bare',
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bvb-'));
  try {
    const vm = await GuestVm.start({
      qemuBinary: 'qemu-system-x86_64',
      tracker,
      label: `bench ${kind} boot`,
      onConsole: () => undefined,
      bootTimeoutMs: BOOT_TIMEOUT_MS,
      readyWhen: kind === 'ours' ? 'agent' : { consoleMarker: BARE_MARKER },
      spec:
        kind === 'ours'
          ? {
              accel: 'tcg',
              vcpus: 1,
              memoryMiB: 512,
              kernel,
              initrd,
              qmpSocket: join(dir, 'qmp.sock'),
              agentSocket: join(dir, 'agent.sock'),
              forwards: [],
            }
          : {
              accel: 'tcg',
              vcpus: 1,
              memoryMiB: 512,
              kernel,
              initrd,
              qmpSocket: join(dir, 'qmp.sock'),
              noNetwork: true,
            },
    });
    const ms = vm.bootMs;
    await vm.dispose();
    return ms;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function context(config: ExperimentConfig, runDir: string, signal: AbortSignal): PrepareContext {
  return {
    runId: 'bench',
    config,
    runDir,
    console: { data: () => undefined },
    log: () => undefined,
    signal,
  };
}

async function measure(
  platform: Platform,
  config: ExperimentConfig,
  runDir: string,
  runners: ReturnType<typeof createBenchmarkRunners>,
): Promise<Record<string, number | string>> {
  const controller = new AbortController();
  const session: PlatformSession = await platform.prepare(
    context(config, runDir, controller.signal),
  );
  const out: Record<string, number | string> = {};
  try {
    for (const bench of config.benchmarks) {
      const main = CATALOGUE[bench.id].mainMetric;
      const values: number[] = [];
      for (let i = 0; i < RATIO_REPS; i++) {
        const o = await runners[bench.id].run(session, bench.params, {
          timeoutMs: REP_TIMEOUT_MS,
          signal: controller.signal,
        });
        if (o.error) {
          out[bench.id] = `failed: ${o.error}`;
          break;
        }
        const v = o.metrics[main];
        if (v !== undefined) values.push(v);
      }
      if (out[bench.id] === undefined) out[bench.id] = median(values);
    }
  } finally {
    await session.dispose();
  }
  return out;
}

export async function run(): Promise<void> {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const onExit = (): void => tracker.killAllSync();
  process.once('exit', onExit);
  try {
    const kernel = await findGuestKernel({
      cacheDir: paths.cacheDir,
      commands: new ExecFileRunner(),
    });
    const ours = await buildInitramfs({ paths, kernel });
    const bare = await buildBareInitramfs(paths.cacheDir, BARE_MARKER);

    const oursMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < BOOT_ROUNDS; i++) {
      bareMs.push(await bootOnce(tracker, kernel.vmlinuz, bare, 'bare'));
      oursMs.push(await bootOnce(tracker, kernel.vmlinuz, ours.path, 'ours'));
    }
    const ratio = median(oursMs) / median(bareMs);
    console.log(
      `qemu boot (TCG, 1 vCPU, 512 MiB, kernel ${kernel.version}, initramfs ${Math.round(ours.bytes / 1024)} KiB):`,
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
      const n = await measure(native, parsed.config, runDir, runners);
      const t = await measure(tcg, parsed.config, runDir, runners);
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
