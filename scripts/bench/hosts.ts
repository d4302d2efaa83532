/**
 * Lab hosts: what running through SSH costs. A real sshd on 127.0.0.1 stands in for the lab
 * host (its own data folder), the built CLI on both sides. Measured, in alternating rounds:
 * the same experiment started on the host directly (`benchvisor run cfg.json` there) and from
 * the desk (`benchvisor run cfg.json --host lab`: ssh, the agent, the run, the copy home through
 * the importer), wall time from start to exit; and, through the app's own API service, the time
 * from Run to the first live console line. Target: remote overhead ≤ 5% of the experiment's wall time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serviceForEngine } from '../../src/main/api/appService';
import { createEngine } from '../../src/main/composition';
import { compareObservations } from '../../src/shared/stats/paired';
import { builtCli } from '../../test/support/builtApp';
import { localEnv } from '../../test/support/hostsCli';
import { remoteCommandFor, startSshd } from '../../test/support/sshd';

/** Rounds of direct + remote (each round's order alternates); BENCH_HOSTS_ROUNDS overrides. */
const ROUNDS = Number(process.env.BENCH_HOSTS_ROUNDS) || 4;
/** About 20 s of measurement per experiment (linpack's timed part is 4 s per repetition). */
const EXPERIMENT = {
  name: 'bench hosts',
  platforms: ['native'],
  profile: 'quick',
  benchmarks: [{ id: 'linpack', params: { seconds: 4 } }, 'syscall'],
  repetitions: { count: 4, warmup: 0 },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(cli: string, env: NodeJS.ProcessEnv, args: string[]): number {
  const t = performance.now();
  const r = spawnSync('node', [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0)
    throw new Error(`benchvisor ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return performance.now() - t;
}

/** The newest run's own span (startedAt → finishedAt as recorded), in ms, from `list --json`. */
function lastRunSpanMs(cli: string, env: NodeJS.ProcessEnv): number {
  const r = spawnSync('node', [cli, 'list', '--json'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`benchvisor list --json: exit ${r.status}: ${r.stderr}`);
  const runs = (JSON.parse(r.stdout) as { startedAt: string; finishedAt?: string }[]).filter(
    (x) => x.finishedAt !== undefined,
  );
  const last = runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!last) throw new Error('benchvisor list --json: no finished run');
  return Date.parse(last.finishedAt!) - Date.parse(last.startedAt);
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
      config: EXPERIMENT,
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
      [cli, 'hosts', 'add', 'lab', 'lab', '--command', remoteCommandFor(cli, sshd.remoteData)],
      { env: desk },
    );
    const direct: number[] = [];
    const remote: number[] = [];
    // Wall time outside the run's own measured span (its startedAt → finishedAt, as recorded at
    // the host): what starting through ssh adds, without the experiment's own run-to-run spread.
    const directOutside: number[] = [];
    const remoteOutside: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so a drift over the section does not favour one side.
      const runDirect = () => {
        direct.push(timed(cli, host, ['run', cfg]));
        directOutside.push(direct.at(-1)! - lastRunSpanMs(cli, host));
      };
      const runRemote = () => {
        remote.push(timed(cli, desk, ['run', cfg, '--host', 'lab']));
        remoteOutside.push(remote.at(-1)! - lastRunSpanMs(cli, desk));
      };
      const order = r % 2 === 0 ? [runDirect, runRemote] : [runRemote, runDirect];
      for (const step of order) step();
    }
    const overheads = direct.map((d, i) => (remote[i]! - d) / d);
    // remote ÷ direct paired by round: the geometric mean with its 95% t interval on the logs.
    const pairedRatio = compareObservations(
      remote.map((value, round) => ({ value, round })),
      direct.map((value, round) => ({ value, round })),
    );
    const pct = (x: number | null) => (x === null ? '?' : `${((x - 1) * 100).toFixed(1)}%`);
    const consoles: number[] = [];
    for (let r = 0; r < ROUNDS; r++) consoles.push(await firstConsoleMs(desk));
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    process.stdout.write(
      [
        `experiment: native linpack (4 s timed) + syscall, 4 repetitions; ${ROUNDS} rounds, direct and remote alternating`,
        `on the host directly   median ${s(median(direct))}  (${direct.map(s).join(', ')})`,
        `from the desk (--host) median ${s(median(remote))}  (${remote.map(s).join(', ')})`,
        `remote overhead        median ${(median(overheads) * 100).toFixed(1)}% of the wall time (${overheads.map((o) => `${(o * 100).toFixed(1)}%`).join(', ')}; target ≤ 5%)`,
        `remote ÷ direct, paired by round: ${pct(pairedRatio?.ratio ?? null)} [95% CI ${pct(pairedRatio?.low ?? null)}, ${pct(pairedRatio?.high ?? null)}]`,
        `outside the run's own span: direct median ${s(median(directOutside))} (${directOutside.map(s).join(', ')}), remote median ${s(median(remoteOutside))} (${remoteOutside.map(s).join(', ')})`,
        `remote overhead from those (remote − direct outside time, ÷ direct wall): median ${(median(remoteOutside.map((o, i) => (o - directOutside[i]!) / direct[i]!)) * 100).toFixed(1)}% (target ≤ 5%)`,
        `Run → first console line in the app (run:start with where → console:data) through ssh: median ${s(median(consoles))} (${consoles.map(s).join(', ')})`,
        `load average (1, 5, 15 min) at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(', ')} on ${cpus().length} cores`,
        '',
      ].join('\n'),
    );
  } finally {
    await sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
