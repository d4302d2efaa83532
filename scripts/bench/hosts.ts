/**
 * Lab hosts: what running through SSH costs. A real sshd on 127.0.0.1 stands in for the lab
 * host (its own data folder), the built CLI on both sides. Measured, in alternating rounds:
 * the same experiment started on the host directly (`benchvisor run cfg.json` there) and from
 * the desk (`benchvisor run cfg.json --host lab`: ssh, the agent, the run, the copy home through
 * the importer), wall time from start to exit; and, through the app's own API service, the time
 * from Run to the first live console line. Target: remote overhead ≤ 5% of the experiment's wall time.
 *
 * The experiment is the project's own `examples/quick-qemu.json` (native against a QEMU TCG
 * guest, the whole suite, three boots per target: what a lab host is for). The wall time is
 * split in two, because the experiment's own span varies from run to run far more than the
 * remote path costs (a nested VM's CPU speed drifts by tens of percent with nothing else
 * running): the time outside the run's recorded span (Node's start; for the remote path also
 * the ssh login, the agent, the copy home) is a fixed cost per run, and what the remote path
 * takes from the run while it goes on is the CPU its processes (agent's events, ssh, the desk)
 * used, as the run's own host-load record (`hostCpu.othersCpuPercent`) saw them. Their sum
 * bounds the overhead from above. Run → first console line uses a native-only experiment, whose
 * first repetition prints at once, so that figure is the remote path's own. The host is checked
 * first, as in the Hosts view, so the remote runs find its engine warm as users' runs do (it
 * stays ENGINE_IDLE_MS); the console figure is also taken with the engine stopped first (cold).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serviceForEngine } from '../../src/main/api/appService';
import { createEngine } from '../../src/main/composition';
import { readSamples } from '../../src/main/store/runReader';
import { sampleMeta } from '../../src/shared/sampleMeta/registry';
import { compareObservations } from '../../src/shared/stats/paired';
import { ROOT, builtCli } from '../../test/support/builtApp';
import { localEnv } from '../../test/support/hostsCli';
import { remoteCommandFor, startSshd, stopAgentEngine } from '../../test/support/sshd';
import { ENGINE_IDLE_MS } from '../../src/main/agent/engineDaemon';
import { RemotePathCpu, pidsMatching } from '../bench-common/remotePathCpu';

/** Rounds of direct + remote (each round's order alternates); BENCH_HOSTS_ROUNDS overrides. */
const ROUNDS = Number(process.env.BENCH_HOSTS_ROUNDS) || 4;
/** The experiment (about 85 s here); BENCH_HOSTS_CONFIG names another config file. */
const EXPERIMENT_FILE = process.env.BENCH_HOSTS_CONFIG ?? join(ROOT, 'examples', 'quick-qemu.json');
/** The target for the remote overhead, as a share of the experiment's wall time. */
const TARGET_OVERHEAD = 0.05;
const EXPERIMENT = JSON.parse(readFileSync(EXPERIMENT_FILE, 'utf8')) as { name: string };
/**
 * For Run → first console line: native only, whose first repetition prints at once, so the
 * figure is the remote path's (a guest's target would add its own boot and image build).
 */
const CONSOLE_EXPERIMENT = {
  name: 'bench hosts console',
  platforms: ['native'],
  profile: 'quick',
  benchmarks: ['syscall'],
  repetitions: { count: 2, warmup: 0 },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const list = (xs: number[], f: (x: number) => string) => xs.map(f).join(', ');

/** `a ÷ b` paired by round: the geometric mean with its 95% t interval on the logs. */
function pairedText(a: number[], b: number[]): string {
  const r = compareObservations(
    a.map((value, round) => ({ value, round })),
    b.map((value, round) => ({ value, round })),
  );
  if (!r) return '?';
  const interval =
    r.low === null || r.high === null ? '' : ` [95% CI ${pct(r.low - 1)}, ${pct(r.high - 1)}]`;
  return `${pct(r.ratio - 1)}${interval}`;
}

/** The other processes the remote runs' host-load record saw most, by name. */
function topOthersText(runs: Measured[]): string {
  const sum = new Map<string, number>();
  for (const m of runs) for (const [k, v] of m.others) sum.set(k, (sum.get(k) ?? 0) + v);
  const top = [...sum].sort((a, b) => b[1] - a[1]).slice(0, 4);
  return top.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ') || 'none';
}

function report(
  direct: Measured[],
  remote: Measured[],
  consoles: number[],
  coldConsoles: number[],
): string {
  const wall = (ms: Measured[]) => ms.map((m) => m.wallMs);
  const span = (ms: Measured[]) => ms.map((m) => m.spanMs);
  const outside = (ms: Measured[]) => ms.map((m) => m.wallMs - m.spanMs);
  // The fixed cost of the remote path: its time outside the run's span beyond the direct one's.
  const fixed = outside(remote).map((o, i) => o - outside(direct)[i]!);
  const fixedShare = median(fixed) / median(wall(direct));
  const othersExtra = median(remote.map((m, i) => m.othersCpu - direct[i]!.othersCpu));
  // CPU the remote path's own processes used within the span, as a share of it: the most they
  // can have slowed the run, were every such CPU-second taken from the run itself.
  const pathCpu = remote.map((m) => m.pathCpu);
  // The engine's extra work for the remote path (its events to the relay), remote − direct per
  // round; counted in the bound when positive.
  const engineExtra = median(remote.map((m, i) => m.engineCpu - direct[i]!.engineCpu));
  const inRun = (median(pathCpu) + Math.max(0, engineExtra)) / 100;
  const reps = (ms: Measured[]) => ms.map((m) => m.repsMs);
  const cpuShare = (ms: Measured[]) =>
    list(
      ms.map((m) => m.othersCpu),
      (x) => x.toFixed(1),
    );
  return [
    `experiment: ${EXPERIMENT_FILE} ("${EXPERIMENT.name}"); ${ROUNDS} rounds, direct and remote alternating`,
    `wall time on the host directly   median ${secs(median(wall(direct)))}  (${list(wall(direct), secs)})`,
    `wall time from the desk (--host) median ${secs(median(wall(remote)))}  (${list(wall(remote), secs)})`,
    `  remote ÷ direct, paired by round: ${pairedText(wall(remote), wall(direct))}`,
    `the run's own span (recorded start → end): direct ${list(span(direct), secs)}; remote ${list(span(remote), secs)}`,
    `  of which the repetitions themselves: direct ${list(reps(direct), secs)}; remote ${list(reps(remote), secs)}`,
    `  remote ÷ direct, paired by round: ${pairedText(span(remote), span(direct))} (the experiment's own spread, plus any slowdown)`,
    `outside the run's span: direct ${list(outside(direct), secs)}; remote ${list(outside(remote), secs)}`,
    `  fixed cost of the remote path (remote − direct, per round): median ${secs(median(fixed))} (${list(fixed, secs)})`,
    `  = ${pct(fixedShare)} of this experiment's wall time; ≤ ${pct(TARGET_OVERHEAD)} for experiments from ${secs(median(fixed) / TARGET_OVERHEAD)} up`,
    `CPU other processes used while the run measured (% of one CPU, mean over samples): direct ${cpuShare(direct)}; remote ${cpuShare(remote)}`,
    `  remote − direct: median ${othersExtra.toFixed(1)}% of one CPU; seen most in the remote runs: ${topOthersText(remote)}`,
    `the remote path's own processes (desk CLI, ssh, sshd session, agent relay) within the span: ${list(pathCpu, (x) => x.toFixed(1))}% of one CPU`,
    `the engine's own CPU within the span (direct: the CLI; remote: agent --engine): direct ${list(
      direct.map((m) => m.engineCpu),
      (x) => x.toFixed(1),
    )}; remote ${list(
      remote.map((m) => m.engineCpu),
      (x) => x.toFixed(1),
    )}% of one CPU; remote − direct median ${engineExtra.toFixed(1)}%`,
    `remote overhead, bounded: fixed ${pct(fixedShare)} + at most ${pct(inRun)} while it runs (the path's processes plus the engine's extra, had all that CPU displaced the run's own work) = ${pct(fixedShare + inRun)} (target ≤ ${pct(TARGET_OVERHEAD)})`,
    `the host's engine was warm for the remote runs (checked first, as the Hosts view does; it stays ${ENGINE_IDLE_MS / 60_000} min)`,
    `Run → first console line in the app (run:start with where → console:data) through ssh: median ${secs(median(consoles))} (${list(consoles, secs)})`,
    `  with the host's engine stopped first (a cold start there): median ${secs(median(coldConsoles))} (${list(coldConsoles, secs)})`,
    `load average (1, 5, 15 min) at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
    '',
  ].join('\n');
}

/** One run as measured: its wall time, its own span and what other processes took meanwhile. */
interface Measured {
  wallMs: number;
  /** The run's recorded startedAt → finishedAt. */
  spanMs: number;
  /** Sum of its repetitions' own durations (the rest of the span: boots, pauses, services). */
  repsMs: number;
  /** Mean over its samples of the CPU other processes used (% of one CPU). */
  othersCpu: number;
  /** The other processes seen most, by name: summed % of one CPU over the samples. */
  others: Map<string, number>;
  /** The remote path's processes' CPU within the span, % of one CPU (0 for a direct run). */
  pathCpu: number;
  /**
   * The engine's own CPU within the span, % of one CPU: the direct run's CLI, or the host's
   * `agent --engine` (which also serializes the run's events for the relay). Not its guests'.
   */
  engineCpu: number;
}

/**
 * Runs the CLI to its exit and reads the run it recorded (the newest finished in `list`). With
 * `sshdPid` (a remote run) the remote path's processes are watched (bench-common/remotePathCpu.ts).
 */
async function measure(
  cli: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  sshdPid?: number,
): Promise<Measured> {
  const t = performance.now();
  const child = spawn('node', [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const watch =
    sshdPid === undefined
      ? null
      : new RemotePathCpu(
          () => [child.pid ?? -1, sshdPid],
          (cmd) => cmd.includes('agent --engine'),
        );
  const engine = new RemotePathCpu(
    () =>
      sshdPid === undefined
        ? [child.pid ?? -1]
        : pidsMatching((cmd) => cmd.includes(`${cli} agent --engine`)),
    () => false,
    { subtree: false },
  );
  watch?.start();
  engine.start();
  const status = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  watch?.stop();
  engine.stop();
  const wallMs = performance.now() - t;
  if (status !== 0) throw new Error(`benchvisor ${args.join(' ')}: exit ${status}: ${stderr}`);
  const list = spawnSync('node', [cli, 'list', '--json'], { env, encoding: 'utf8' });
  if (list.status !== 0)
    throw new Error(`benchvisor list --json: exit ${list.status}: ${list.stderr}`);
  const runs = (
    JSON.parse(list.stdout) as { dir: string; startedAt: string; finishedAt?: string }[]
  ).filter((x) => x.finishedAt !== undefined);
  const last = runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!last) throw new Error('benchvisor list --json: no finished run');
  const span = { from: Date.parse(last.startedAt), to: Date.parse(last.finishedAt!) };
  const samples = readSamples(last.dir);
  const cpu = samples.flatMap((smp) => {
    const c = sampleMeta(smp, 'hostCpu');
    return c === undefined || c === 'unknown' ? [] : [c];
  });
  const others = new Map<string, number>();
  for (const c of cpu)
    for (const o of c.topOthers) others.set(o.comm, (others.get(o.comm) ?? 0) + o.cpuPercent);
  return {
    wallMs,
    spanMs: span.to - span.from,
    pathCpu: watch?.shareBetween(span.from, span.to) ?? 0,
    engineCpu: engine.shareBetween(span.from, span.to),
    repsMs: samples.reduce((sum, smp) => sum + smp.durationMs, 0),
    othersCpu: cpu.reduce((sum, c) => sum + c.othersCpuPercent, 0) / Math.max(1, cpu.length),
    others,
  };
}

/**
 * Run → first live console line the way the app does it: the API service over a real engine
 * (web mode and the desktop build the same), `run:start` with `where: { hosts: ['lab'] }`, the
 * time until the first `console:data` event reaches the client. The run is then cancelled (its
 * cancelled copy still comes home) so each measurement costs a few seconds.
 */
async function firstConsoleMs(desk: NodeJS.ProcessEnv): Promise<number> {
  const app = serviceForEngine(createEngine({ env: desk }));
  let first = 0;
  let t = 0;
  let ended!: () => void;
  const finished = new Promise<void>((r) => (ended = r));
  const conn = app.service.connect(
    {
      send: (event, payload) => {
        if (event === 'console:data' && !first) {
          first = performance.now() - t;
          void conn.handlers['run:cancel']({ runId: (payload as { runId: string }).runId });
        }
        if (event === 'run:finished') ended();
      },
    },
    'websocket',
  );
  try {
    t = performance.now();
    const started = await conn.handlers['run:start']({
      config: CONSOLE_EXPERIMENT,
      where: { local: false, hosts: ['lab'] },
    });
    if (!started.ok) throw new Error(started.error.message);
    await finished;
    if (!first) throw new Error(`run ${started.value.runId} showed no console line`);
    return first;
  } finally {
    conn.close();
    await app.dispose();
  }
}

export async function run(): Promise<void> {
  const cli = builtCli();
  const dir = mkdtempSync(join(tmpdir(), 'benchvisor-bench-hosts-'));
  const clientDir = join(dir, 'client');
  const sshd = await startSshd('lab', join(dir, 'lab'), clientDir);
  try {
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify(EXPERIMENT));
    const desk = localEnv(join(dir, 'desk'), clientDir);
    const host = {
      ...process.env,
      BENCHVISOR_DATA: sshd.remoteData,
      BENCHVISOR_RUNS: join(sshd.remoteData, 'runs'),
    };
    spawnSync(
      'node',
      [
        cli,
        'hosts',
        'add',
        'lab',
        'lab',
        '--command',
        remoteCommandFor(cli, sshd.remoteData, 'default'),
      ],
      { env: desk },
    );
    const direct: Measured[] = [];
    const remote: Measured[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so a drift over the section does not favour one side.
      const runDirect = async () => direct.push(await measure(cli, host, ['run', cfg]));
      const runRemote = async () =>
        remote.push(await measure(cli, desk, ['run', cfg, '--host', 'lab'], sshd.process.pid));
      const order = r % 2 === 0 ? [runDirect, runRemote] : [runRemote, runDirect];
      for (const step of order) await step();
    }
    const consoles: number[] = [];
    for (let r = 0; r < ROUNDS; r++) consoles.push(await firstConsoleMs(desk));
    const coldConsoles: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await stopAgentEngine(sshd.remoteData);
      coldConsoles.push(await firstConsoleMs(desk));
    }
    process.stdout.write(report(direct, remote, consoles, coldConsoles));
  } finally {
    await sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
