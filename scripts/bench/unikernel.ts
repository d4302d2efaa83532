/**
 * Unikernel benchmarks (npm run bench unikernel), both under TCG in this invocation:
 *  1. boot-to-main of the unikernel ÷ boot-to-agent-ready of the Linux guest (spawn of QEMU
 *     to the library OS's "main" line vs to the agent's READY), alternating (target ≤ 0.2);
 *  2. linpack (and syscall) unikernel-TCG ÷ qemu-TCG, quick profile: linpack should be ≈ 1
 *     (the same instructions under the same emulator); a large gap is a bug to explain.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, type BenchmarkId } from '../../src/shared/catalogue';
import { parseExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExecFileRunner } from '../../src/main/qemu/commands';
import { buildInitramfs } from '../../src/main/qemu/initramfs';
import { findGuestKernel } from '../../src/main/qemu/kernel';
import { DEFAULT_QEMU_BINARY } from '../../src/main/qemu/qemuTools';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { bootUnikernel } from '../../src/main/platforms/unikernel/unikernelBoot';
import { createUnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { BENCH_TIMEOUT_MS, median, medianMainMetrics, timeLinuxBoot } from '../bench-common/guests';

const BOOT_ROUNDS = 3;
const RATIO_REPS = 3;
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
      commands: new ExecFileRunner(),
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
      const linux = await medianMainMetrics(
        createQemuPlatform('tcg', { paths, tracker, runners }),
        parsed.config,
        runDir,
        runners,
        RATIO_REPS,
      );
      const uni = await medianMainMetrics(unikernel, parsed.config, runDir, runners, RATIO_REPS);
      console.log(
        `unikernel-TCG ÷ qemu-TCG, quick profile, median of ${RATIO_REPS} (main metric):`,
      );
      for (const id of COMPARED) {
        const def = CATALOGUE[id];
        const unit = def.metrics.find((m) => m.key === def.mainMetric)!.unit;
        const l = linux[id];
        const u = uni[id];
        if (typeof l !== 'number' || typeof u !== 'number') {
          console.log(`  ${id.padEnd(8)} qemu-tcg ${String(l)}; unikernel-tcg ${String(u)}`);
          continue;
        }
        console.log(
          `  ${id.padEnd(8)} qemu-tcg ${l.toPrecision(4)} ${unit}, unikernel-tcg ${u.toPrecision(4)} ${unit}: ratio ${(u / l).toPrecision(3)}`,
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
