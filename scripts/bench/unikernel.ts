/**
 * Unikernel benchmarks (npm run bench unikernel), both under TCG in this invocation:
 *  1. boot-to-main of the unikernel ÷ boot-to-agent-ready of the Linux guest (spawn of QEMU
 *     to the library OS's "main" line vs to the agent's READY), alternating (target ≤ 0.2);
 *  2. linpack (and syscall) unikernel-TCG ÷ qemu-TCG, quick profile, in interleaved pairs:
 *     linpack should be ≈ 1 (the same instructions under the same emulator; measured: the
 *     same CPU time per repetition, see ARCHITECTURE.md "Measured"); a large gap is a bug.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, type BenchmarkId } from '../../src/shared/catalogue';
import { parseExperimentConfig, type ExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExecFileCommands } from '../../src/main/qemu/commands';
import { buildInitramfs } from '../../src/main/qemu/initramfs';
import { findGuestKernel } from '../../src/main/qemu/kernel';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { DEFAULT_QEMU_BINARY } from '../../src/main/qemu/qemuTools';
import type { Platform, PlatformSession } from '../../src/main/platforms/platform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { bootUnikernel } from '../../src/main/platforms/unikernel/unikernelBoot';
import { createUnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { BENCH_TIMEOUT_MS, median, quietContext, timeLinuxBoot } from '../bench-common/guests';

const BOOT_ROUNDS = 3;
/** Interleaved pairs (Linux guest repetition, unikernel repetition) per compared benchmark. */
const RATIO_PAIRS = 5;
const MEMORY_MIB = 512;
/** The brief's target: the unikernel reaches main in at most a fifth of the Linux guest's boot. */
const BOOT_RATIO_TARGET = 0.2;
const COMPARED: BenchmarkId[] = ['linpack', 'syscall'];

async function unikernelBoot(tracker: ProcessTracker, image: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bvb-'));
  try {
    const r = await bootUnikernel({
      qemuBinary: DEFAULT_QEMU_BINARY,
      spec: { accel: 'tcg', memoryMiB: MEMORY_MIB, image, args: ['--count', '1'] },
      workDir: dir,
      tracker,
      label: 'bench unikernel boot',
      timeoutMs: BENCH_TIMEOUT_MS,
    });
    if (r.bootToMainMs === null) throw new Error(`the unikernel did not reach main: ${r.console}`);
    return r.bootToMainMs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One repetition's main metric, or the error that stopped it. */
async function once(
  runner: ReturnType<typeof createBenchmarkRunners>[BenchmarkId],
  session: PlatformSession,
  id: BenchmarkId,
  params: Record<string, number>,
  signal: AbortSignal,
): Promise<number> {
  const o = await runner.run(session, params, { timeoutMs: BENCH_TIMEOUT_MS, signal });
  if (o.error) throw new Error(`${id}: ${o.error}`);
  const v = o.metrics[CATALOGUE[id].mainMetric];
  if (v === undefined) throw new Error(`${id}: no ${CATALOGUE[id].mainMetric} in the result`);
  return v;
}

/**
 * Both platforms' repetitions, interleaved (Linux guest, unikernel, Linux guest, ...): on a
 * shared host the CPU share a QEMU gets changes from minute to minute, and a CPU-bound result
 * under TCG is proportional to it (the vCPU thread is never blocked, only waiting to run), so
 * two medians measured one after the other compare two host loads, not two guests. The ratio
 * is the median of the per-pair ratios, taken seconds apart.
 */
async function measurePairs(
  linux: Platform,
  uni: Platform,
  config: ExperimentConfig,
  runDir: string,
  runners: ReturnType<typeof createBenchmarkRunners>,
): Promise<Record<string, { linux: number[]; uni: number[] } | string>> {
  const controller = new AbortController();
  const ctx = (p: Platform) => quietContext(config, runDir, controller.signal, p.id);
  const linuxSession = await linux.prepare(ctx(linux));
  const out: Record<string, { linux: number[]; uni: number[] } | string> = {};
  try {
    const uniSession = await uni.prepare(ctx(uni));
    try {
      for (const bench of config.benchmarks) {
        const runner = runners[bench.id];
        const pairs = { linux: [] as number[], uni: [] as number[] };
        try {
          for (let i = 0; i < RATIO_PAIRS; i++) {
            pairs.linux.push(
              await once(runner, linuxSession, bench.id, bench.params, controller.signal),
            );
            pairs.uni.push(
              await once(runner, uniSession, bench.id, bench.params, controller.signal),
            );
          }
          out[bench.id] = pairs;
        } catch (e) {
          out[bench.id] = `failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
    } finally {
      await uniSession.dispose();
    }
  } finally {
    await linuxSession.dispose();
  }
  return out;
}

export async function run(): Promise<void> {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const onExit = (): void => tracker.killAllSync();
  process.once('exit', onExit);
  const runners = createBenchmarkRunners();
  try {
    const unikernel = createUnikernelPlatform('tcg', { paths, tracker, runners });
    const availability = await unikernel.probe();
    if (!availability.available) {
      console.log(`unikernel: skipped: ${availability.reason} (fix: ${availability.fix ?? '?'})`);
      return;
    }
    const image = join(availability.details?.images ?? '', 'syscall.img');
    const kernel = await findGuestKernel({
      cacheDir: paths.cacheDir,
      commands: new ExecFileCommands(),
      runningVersion: createHostProbe().kernelRelease(),
    });
    const initrd = await buildInitramfs({ paths, kernel });
    const linuxMs: number[] = [];
    const uniMs: number[] = [];
    for (let i = 0; i < BOOT_ROUNDS; i++) {
      linuxMs.push(
        await timeLinuxBoot(tracker, {
          kernel: kernel.vmlinuz,
          initrd: initrd.path,
          memoryMiB: MEMORY_MIB,
        }),
      );
      uniMs.push(await unikernelBoot(tracker, image));
    }
    const ratio = median(uniMs) / median(linuxMs);
    console.log(`boot under TCG, ${MEMORY_MIB} MiB, from spawning QEMU:`);
    console.log(
      `  Linux guest to agent READY: ${linuxMs.map((m) => (m / 1000).toFixed(2)).join(', ')} s (median ${(median(linuxMs) / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  unikernel to main(): ${uniMs.map((m) => Math.round(m)).join(', ')} ms (median ${Math.round(median(uniMs))} ms)`,
    );
    console.log(
      `  ratio unikernel ÷ Linux guest: ${ratio.toFixed(3)} (target ≤ ${BOOT_RATIO_TARGET}: ${ratio <= BOOT_RATIO_TARGET ? 'met' : 'NOT met'})`,
    );

    const parsed = parseExperimentConfig({
      platforms: ['qemu-tcg', 'unikernel-tcg'],
      profile: 'quick',
      benchmarks: COMPARED,
      guest: { memoryMiB: MEMORY_MIB },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const runDir = await mkdtemp(join(tmpdir(), 'bvb-run-'));
    try {
      const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
      const loadBefore = load();
      const results = await measurePairs(
        createQemuPlatform('tcg', { paths, tracker, runners }),
        unikernel,
        parsed.config,
        runDir,
        runners,
      );
      console.log(
        `unikernel-TCG ÷ qemu-TCG, quick profile, ${RATIO_PAIRS} interleaved pairs (main metric; host load average ${loadBefore} → ${load()}):`,
      );
      for (const id of COMPARED) {
        const def = CATALOGUE[id];
        const unit = def.metrics.find((m) => m.key === def.mainMetric)!.unit;
        const r = results[id];
        if (r === undefined || typeof r === 'string') {
          console.log(`  ${id.padEnd(8)} ${r ?? 'not measured'}`);
          continue;
        }
        const ratios = r.linux.map((l, i) => r.uni[i]! / l);
        const fmt = (xs: number[]): string => xs.map((x) => x.toPrecision(3)).join(', ');
        console.log(
          `  ${id.padEnd(8)} qemu-tcg ${median(r.linux).toPrecision(4)} ${unit} (${fmt(r.linux)}), unikernel-tcg ${median(r.uni).toPrecision(4)} ${unit} (${fmt(r.uni)})`,
        );
        console.log(
          `  ${''.padEnd(8)} ratio per pair ${fmt(ratios)}: median ${median(ratios).toPrecision(3)}`,
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
