/**
 * Variants (npm run bench variants): what preparing each target costs, through the
 * real runner (createEngine), read back from the run's own records.
 *  1. QEMU TCG, raw/qcow2 × cache none/writeback (four targets): per target the
 *     whole preparation (prepareMs), the disk's creation with qemu-img, the boot to
 *     the agent's READY, the kernel lookup, the initramfs (built, or found in the cache by
 *     the hash of its inputs) and reading the guest's CPU facts through the agent;
 *     the run log must show one boot per target and no build after the first target.
 *  2. Docker, 1 and 2 vCPUs (two targets): per target the preparation, the image
 *     (built or reused) and the container's creation and start.
 * One repetition of syscall per target (the quick profile): the measured part is not
 * what this section is about.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig, type ExperimentConfigInput } from '../../src/shared/config';
import type { Sample } from '../../src/shared/sample';
import { createEngine, type Engine } from '../../src/main/composition';
import { readSamples } from '../../src/main/store/runStore';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** The same experiment shape as examples/disk-formats.json's targets, one cheap benchmark. */
const QEMU_VARIANTS: Partial<ExperimentConfigInput> = {
  name: 'bench: variants preparation (qemu-tcg)',
  platforms: ['qemu-tcg'],
  guest: { diskFormat: ['raw', 'qcow2'], cacheMode: ['none', 'writeback'], diskSizeMiB: 64 },
};
const DOCKER_VARIANTS: Partial<ExperimentConfigInput> = {
  name: 'bench: variants preparation (docker)',
  platforms: ['docker'],
  guest: { vcpus: [1, 2] },
};

type Meta = Record<string, unknown>;

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? `${(ms / 1000).toFixed(2)} s` : 'n/a';
}

/** Runs the experiment; returns the first sample's meta of each target (in run order) and the log. */
async function runVariants(
  engine: Engine,
  input: Partial<ExperimentConfigInput>,
): Promise<{ targets: [string, Meta][]; log: string[]; status: string }> {
  const parsed = parseExperimentConfig({
    benchmarks: ['syscall'],
    profile: 'quick',
    repetitions: { count: 1, warmup: 0 },
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const started = await engine.createRunner().start(parsed.config);
  if (!started.ok) throw new Error(started.error.message);
  const fin = await started.value.finished;
  const samples: Sample[] = readSamples(fin.dir);
  const targets: [string, Meta][] = [];
  for (const s of samples)
    if (s.target && !targets.some(([t]) => t === s.target)) targets.push([s.target, s.meta]);
  const log = readFileSync(join(fin.dir, 'run.log.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { message: string }).message);
  return { targets, log, status: `${fin.status}: ${fin.message}` };
}

async function qemuSection(engine: Engine): Promise<void> {
  const tcg = engine.platforms.find((p) => p.id === 'qemu-tcg');
  const availability = tcg ? await tcg.probe() : { available: false, reason: 'no qemu-tcg' };
  if (!availability.available) {
    console.log(`qemu-tcg variants: skipped (${availability.reason})`);
    return;
  }
  const { targets, log, status } = await runVariants(engine, QEMU_VARIANTS);
  console.log(`QEMU TCG, raw/qcow2 × cache none/writeback, 64 MiB disk (run ${status}):`);
  console.log(
    '  target                            prepare   kernel    initramfs          disk      boot→READY  guest facts',
  );
  for (const [id, m] of targets) {
    const initramfs = `${seconds(m.initramfsMs)} (${m.initramfsBuilt === true ? 'built' : 'cached'})`;
    console.log(
      `  ${id.padEnd(32)}  ${seconds(m.prepareMs).padEnd(8)}  ${seconds(m.kernelLookupMs).padEnd(8)}  ${initramfs.padEnd(17)}  ${seconds(m.diskCreateMs).padEnd(8)}  ${seconds(m.bootMs).padEnd(10)}  ${seconds(m.guestFactsMs)}`,
    );
  }
  const boots = log.filter((l) => /^qemu-tcg: guest ready after/.test(l)).length;
  const built = targets.filter(([, m]) => m.initramfsBuilt === true).map(([t]) => t);
  const fetched = log.filter((l) => /apt-get download|downloading/i.test(l)).length;
  const kernels = new Set(targets.map(([, m]) => String(m.kernelVersion)));
  console.log(
    `  boots: ${boots} for ${targets.length} targets (one per target: ${boots === targets.length ? 'yes' : 'NO'}); ` +
      `initramfs built in: ${built.length === 0 ? 'none (cached before this run)' : built.join(', ')} ` +
      `(nothing rebuilt after the first target: ${built.every((t) => t === targets[0]?.[0]) ? 'yes' : 'NO'}); ` +
      `kernel fetches: ${fetched}; kernels used: ${[...kernels].join(', ')}`,
  );
}

async function dockerSection(engine: Engine): Promise<void> {
  const docker = engine.platforms.find((p) => p.id === 'docker');
  const availability = docker ? await docker.probe() : { available: false, reason: 'no docker' };
  if (!availability.available) {
    console.log(`docker variants: skipped (${availability.reason})`);
    return;
  }
  const { targets, status } = await runVariants(engine, DOCKER_VARIANTS);
  console.log(`Docker, 1 and 2 vCPUs (run ${status}):`);
  console.log('  target                            prepare   image             container start');
  for (const [id, m] of targets) {
    const image = `${seconds(m.imageMs)} (${m.imageBuilt === true ? 'built' : 'reused'})`;
    console.log(
      `  ${id.padEnd(32)}  ${seconds(m.prepareMs).padEnd(8)}  ${image.padEnd(16)}  ${seconds(m.containerStartMs)}`,
    );
  }
}

export async function run(): Promise<void> {
  const runsDir = await mkdtemp(join(tmpdir(), 'benchvisor-bench-variants-'));
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir } });
  try {
    await qemuSection(engine);
    await dockerSection(engine);
  } finally {
    await engine.shutdown();
    await rm(runsDir, { recursive: true, force: true });
  }
}
