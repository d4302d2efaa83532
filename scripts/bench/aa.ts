/**
 * A/A experiments (issue 19): identical systems compared, today's design against the new one.
 *
 * 1. The CPU a paused target takes: a TCG guest stopped with QMP `stop` (its QEMU process's
 *    utime + stime from /proc over PAUSE_WINDOW_MS) and a paused container (the cgroup's
 *    cpu usage from Docker's stats over the same window), in % of one CPU.
 * 2. False-effect rates: native against its A/A control twin (syscall and linpack, quick
 *    profile), RUNS runs per design and condition: "sequential, one instance, unpaired" (today)
 *    and "interleaved, 3 instances, paired by round" (new), on the host as it is ("quiet") and
 *    with a controlled drift (a busy-loop burner switched on for the second half of each run's
 *    expected time, bounded, always stopped). Rate = effect verdicts / comparisons.
 *    `--tcg` adds the same for two TCG guests 1 MiB apart (memoryMiB [512, 513]; slow).
 *
 * BENCH_AA_RUNS sets the runs per design and condition (default 10).
 */
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig, type RunOrder } from '../../src/shared/config';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { DEFAULT_COMPARED_INSTANCES } from '../../src/shared/runDesign';
import { createEngine } from '../../src/main/composition';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { QemuSession } from '../../src/main/platforms/qemu/qemuSession';
import { createDockerPlatform } from '../../src/main/platforms/docker';
import type { DockerSession } from '../../src/main/platforms/docker/dockerSession';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** How long a paused target's CPU is watched. */
const PAUSE_WINDOW_MS = 10_000;
/** Clock ticks per second of /proc/<pid>/stat utime/stime (USER_HZ on Linux). */
const USER_HZ = 100;
const RUNS = Number(process.env.BENCH_AA_RUNS ?? 10);
/** Repetitions per target and benchmark in each A/A run. */
const REPETITIONS = 8;
/** Instances per target in the new design (the default where guests are compared). */
const NEW_INSTANCES = DEFAULT_COMPARED_INSTANCES;
/** Repetitions per target and benchmark in the TCG A/A (the issue's: 10 after 1 warmup). */
const TCG_REPETITIONS = 10;
/** The burner runs at most this long (bounded even if a run hangs). */
const BURNER_MAX_S = 120;

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(after[11]) + Number(after[12]);
}

async function pausedGuestCpu(): Promise<string> {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const scratch = await mkdtemp(join(tmpdir(), 'bv-aa-guest-'));
  const platform = createQemuPlatform('tcg', {
    paths,
    tracker,
    runners: createBenchmarkRunners(),
    scratchDir: scratch,
  });
  const cfg = parseExperimentConfig({ platforms: ['qemu-tcg'], benchmarks: ['syscall'] });
  if (!cfg.ok) throw new Error(cfg.message);
  const session = await platform.prepare({
    runId: 'bench-aa',
    target: platform.id,
    config: cfg.config,
    runDir: scratch,
    console: { data: () => {} },
    log: () => {},
    signal: new AbortController().signal,
  });
  try {
    const guest = session as QemuSession;
    const pid = guest.pid!;
    const idle = await cpuOver(() => cpuTicks(pid) / USER_HZ);
    await guest.pause();
    const paused = await cpuOver(() => cpuTicks(pid) / USER_HZ);
    return `TCG guest (QEMU process): running idle ${idle.toFixed(2)}% of a CPU, paused ${paused.toFixed(2)}% (${PAUSE_WINDOW_MS / 1000} s each)`;
  } finally {
    await session.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** % of one CPU used over the window, from a reader of cumulative CPU seconds. */
async function cpuOver(read: () => number | Promise<number>): Promise<number> {
  const a = await read();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, PAUSE_WINDOW_MS));
  const b = await read();
  return ((b - a) / ((performance.now() - t0) / 1000)) * 100;
}

async function pausedContainerCpu(): Promise<string> {
  const engine = createEngine({ paths: defaultAppPaths() });
  const probe = await engine.platforms.find((p) => p.id === 'docker')?.probe();
  if (!probe?.available) return `container: skipped (${probe?.reason ?? 'no docker platform'})`;
  const Dockerode = (await import('dockerode')).default;
  const docker = new Dockerode();
  const tracker = new ProcessTracker();
  const runDir = await mkdtemp(join(tmpdir(), 'bv-aa-docker-'));
  const platform = createDockerPlatform({
    paths: { benchBinDir: defaultAppPaths().benchBinDir },
    tracker,
    docker,
  });
  const cfg = parseExperimentConfig({ platforms: ['docker'], benchmarks: ['syscall'] });
  if (!cfg.ok) throw new Error(cfg.message);
  const session = (await platform.prepare({
    runId: `bench-aa-${process.pid}`,
    target: platform.id,
    config: cfg.config,
    runDir,
    console: { data: () => {} },
    log: () => {},
    signal: new AbortController().signal,
  })) as DockerSession;
  try {
    const usage = async () => {
      const s = (await docker.getContainer(session.containerId).stats({ stream: false })) as {
        cpu_stats: { cpu_usage: { total_usage: number } };
      };
      return s.cpu_stats.cpu_usage.total_usage / 1e9;
    };
    await session.pause();
    const paused = await cpuOver(usage);
    return `container (its cgroup): paused ${paused.toFixed(2)}% of a CPU (${PAUSE_WINDOW_MS / 1000} s)`;
  } finally {
    await session.dispose();
    await rm(runDir, { recursive: true, force: true });
  }
}

/**
 * A busy loop on the host from `afterMs` for at most BURNER_MAX_S (the drift). It is a
 * worker thread of this process, not a child process: it cannot outlive the bench (an
 * earlier `timeout sh -c` burner left its shell running for good when stopped with SIGKILL).
 */
function burnerAfter(afterMs: number): { stop: () => void } {
  let worker: Worker | null = null;
  let bound: NodeJS.Timeout | null = null;
  const stop = () => {
    clearTimeout(start);
    if (bound) clearTimeout(bound);
    void worker?.terminate();
    worker = null;
  };
  const start = setTimeout(() => {
    worker = new Worker('for (;;) {}', { eval: true });
    bound = setTimeout(stop, BURNER_MAX_S * 1000);
  }, afterMs);
  return { stop };
}

interface Design {
  label: string;
  order: RunOrder;
  /** Instances per target (boots / starts), repetitions nested within them. */
  instances: number;
}

/** Identical systems to compare: the config part, the reference and its twin. */
interface Scenario {
  label: string;
  config: Record<string, unknown>;
  reference: string;
  twin: string;
  repetitions: number;
}

/** Today's default set: native against its A/A control twin (cheap, no boots). */
const NATIVE_TWINS: Scenario = {
  label: 'native vs its A/A control twin, syscall + linpack, quick profile',
  config: { platforms: ['native'], benchmarks: ['syscall', 'linpack'] },
  reference: 'native',
  twin: 'native.control',
  repetitions: REPETITIONS,
};

/** `--tcg`: the A/A, two TCG guests 1 MiB apart (expensive: several boots per run). */
const TCG_TWINS: Scenario = {
  label: 'QEMU TCG memoryMiB [512, 513], syscall + linpack + diskwrite, quick profile',
  config: {
    platforms: ['qemu-tcg'],
    guest: { memoryMiB: [512, 513] },
    benchmarks: ['syscall', 'linpack', 'diskwrite'],
  },
  reference: 'qemu-tcg.512mib',
  twin: 'qemu-tcg.513mib',
  repetitions: TCG_REPETITIONS,
};

/** One A/A run: the main metric's verdict of the twin against the reference, per benchmark. */
async function aaRun(
  scenario: Scenario,
  design: Design,
  drift: boolean,
  runsDir: string,
): Promise<string[]> {
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir } });
  const parsed = parseExperimentConfig({
    name: `bench aa ${design.label}`,
    profile: 'quick',
    ...scenario.config,
    repetitions: {
      count: scenario.repetitions,
      warmup: 1,
      order: design.order,
      instances: design.instances,
      control: scenario.twin.endsWith('.control'),
    },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const t0 = performance.now();
  const burner = drift ? burnerAfter(estimateMs / 2) : null;
  let dir: string | null = null;
  try {
    const started = await engine.createRunner().start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    dir = fin.dir;
    const samples = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Sample);
    estimateMs = performance.now() - t0;
    // The main metric's verdict per benchmark (the metric samples carry in `value`).
    const main = (b: string) => samples.find((s) => s.benchmark === b)?.metric;
    const ratios = summarize(samples, { reference: scenario.reference }).ratios.filter(
      (r) => r.target === scenario.twin && r.metric === main(r.benchmark),
    );
    for (const r of ratios) designsSeen.add(r.design ?? 'pooled');
    if (process.env.BENCH_AA_VERBOSE)
      for (const r of ratios)
        console.log(
          `    ${r.benchmark}: ${r.ratio?.toFixed(3)} (${r.ratioLow?.toFixed(3)}–${r.ratioHigh?.toFixed(3)}) ${r.verdict} [${r.design ?? 'pooled'}]`,
        );
    return ratios.map((r) => r.verdict);
  } finally {
    burner?.stop();
    // Only the verdicts are kept: a run folder is dropped as soon as it is read.
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
/** The comparison designs the verdicts of a row used (printed with the row). */
const designsSeen = new Set<string>();
/** How long an A/A run took last (the burner switches on at half of it). */
let estimateMs = 20_000;

/** The paused-target CPU figures (a TCG boot and a container start). */
async function pausedCosts(): Promise<void> {
  console.log(`paused targets' CPU:`);
  try {
    console.log(`  ${await pausedGuestCpu()}`);
  } catch (e) {
    console.log(`  TCG guest: failed (${(e as Error).message})`);
  }
  try {
    console.log(`  ${await pausedContainerCpu()}`);
  } catch (e) {
    console.log(`  container: failed (${(e as Error).message})`);
  }
}

/** Effect verdicts / comparisons of one scenario, per condition × design, RUNS runs each. */
async function falseEffectRates(scenario: Scenario): Promise<void> {
  const designs: Design[] = [
    { label: 'sequential, one instance, unpaired (today)', order: 'sequential', instances: 1 },
    {
      label: `interleaved, ${NEW_INSTANCES} instances, paired by round (new)`,
      order: 'interleaved',
      instances: NEW_INSTANCES,
    },
  ];
  const runsDir = await mkdtemp(join(tmpdir(), 'bv-aa-runs-'));
  try {
    console.log(
      `\nA/A false-effect rate: ${scenario.label}, ${scenario.repetitions} reps after 1 warmup, ${RUNS} runs each (load average at start ${loadavg()[0]?.toFixed(2)}):`,
    );
    for (const drift of [false, true])
      for (const d of designs) {
        const verdicts: string[] = [];
        designsSeen.clear();
        const t0 = performance.now();
        for (let i = 0; i < RUNS; i++) verdicts.push(...(await aaRun(scenario, d, drift, runsDir)));
        const effects = verdicts.filter((v) => v === 'faster' || v === 'slower').length;
        const pct = ((effects / Math.max(1, verdicts.length)) * 100).toFixed(0);
        const secs = ((performance.now() - t0) / 1000).toFixed(0);
        console.log(
          `  ${drift ? 'drift (burner on for the 2nd half)' : 'host as it is (quiet)            '} | ${d.label}: ${effects}/${verdicts.length} effect verdicts (${pct}%) [${[...designsSeen].join(', ')}; ${secs} s, load ${loadavg()[0]?.toFixed(2)}]`,
        );
      }
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
}

/**
 * Flags (after the section name): `--tcg` adds the TCG memoryMiB [512, 513] A/A (slow: boots),
 * `--no-paused` skips the paused-target CPU figures (a TCG boot and a container start).
 */
export async function run(): Promise<void> {
  const flags = process.argv.slice(2);
  if (!flags.includes('--no-paused')) await pausedCosts();
  await falseEffectRates(NATIVE_TWINS);
  if (flags.includes('--tcg')) await falseEffectRates(TCG_TWINS);
}
