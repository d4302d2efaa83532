/**
 * A/A experiments (issue 19): identical systems compared, today's design against the new one.
 *
 * 1. The CPU a paused target takes: a TCG guest stopped with QMP `stop` (its QEMU process's
 *    utime + stime from /proc over PAUSE_WINDOW_MS) and a paused container (the cgroup's
 *    cpu usage from Docker's stats over the same window), in % of one CPU.
 * 2. False-effect rates: native against its A/A control twin (syscall and linpack, quick
 *    profile), RUNS runs per design and condition: "sequential, one instance, pooled" (today)
 *    and "interleaved, paired by round" (new), on the host as it is ("quiet") and with a
 *    controlled drift (a busy-loop burner switched on for the second half of each run's
 *    expected time, bounded, always stopped). Rate = effect verdicts / comparisons.
 *
 * BENCH_AA_RUNS sets the runs per design and condition (default 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig, type RunOrder } from '../../src/shared/config';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
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

/** A busy loop on the host from `afterMs` for at most BURNER_MAX_S (the drift). */
function burnerAfter(afterMs: number): { stop: () => void } {
  let child: ChildProcess | null = null;
  const timer = setTimeout(() => {
    child = spawn('timeout', [String(BURNER_MAX_S), 'sh', '-c', 'while :; do :; done'], {
      stdio: 'ignore',
    });
  }, afterMs);
  return {
    stop: () => {
      clearTimeout(timer);
      child?.kill('SIGKILL');
    },
  };
}

interface Design {
  label: string;
  order: RunOrder;
}

/** One A/A run: the verdicts of native's twin against native, per benchmark. */
async function aaRun(design: Design, drift: boolean, runsDir: string): Promise<string[]> {
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir } });
  const parsed = parseExperimentConfig({
    name: `bench aa ${design.label}`,
    platforms: ['native'],
    profile: 'quick',
    benchmarks: ['syscall', 'linpack'],
    repetitions: { count: REPETITIONS, warmup: 1, order: design.order, control: true },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const t0 = performance.now();
  const burner = drift ? burnerAfter(estimateMs / 2) : null;
  try {
    const started = await engine.createRunner().start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Sample);
    estimateMs = performance.now() - t0;
    // The main metric's verdict per benchmark (the metric samples carry in `value`).
    const main = (b: string) => samples.find((s) => s.benchmark === b)?.metric;
    return summarize(samples, { reference: 'native' })
      .ratios.filter((r) => r.target === 'native.control' && r.metric === main(r.benchmark))
      .map((r) => r.verdict);
  } finally {
    burner?.stop();
  }
}
/** How long an A/A run took last (the burner switches on at half of it). */
let estimateMs = 20_000;

export async function run(): Promise<void> {
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
  const designs: Design[] = [
    { label: 'sequential, one instance, unpaired (today)', order: 'sequential' },
    { label: 'interleaved, paired by round (new)', order: 'interleaved' },
  ];
  const runsDir = await mkdtemp(join(tmpdir(), 'bv-aa-runs-'));
  try {
    console.log(
      `\nA/A false-effect rate: native vs its twin, syscall + linpack (main metrics), ${REPETITIONS} reps, ${RUNS} runs each:`,
    );
    for (const drift of [false, true])
      for (const d of designs) {
        const verdicts: string[] = [];
        for (let i = 0; i < RUNS; i++) verdicts.push(...(await aaRun(d, drift, runsDir)));
        const effects = verdicts.filter((v) => v === 'faster' || v === 'slower').length;
        console.log(
          `  ${drift ? 'drift (burner on for the 2nd half)' : 'host as it is      '} | ${d.label}: ${effects}/${verdicts.length} effect verdicts (${((effects / Math.max(1, verdicts.length)) * 100).toFixed(0)}%)`,
        );
      }
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
}
