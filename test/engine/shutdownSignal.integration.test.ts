/**
 * Issue #25 item 4, with real parts: `benchvisor run` with a Docker container live and one
 * with a QEMU TCG guest live each get two SIGINTs within 100 ms (as a Ctrl+C reaches the app
 * from the terminal and from npm). The first starts the bounded cleanup, the copy is ignored:
 * each process exits 130 after its cleanup, no container, volume or qemu process is left, and
 * each run's experiment.json says cancelled.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { ROOT, privateBinDir, processesMatching, tempDir, waitFor } from './helpers';

const CLI = builtCli();
/** Preparing both targets: the Docker image (cached after the first time) and a TCG boot. */
const LIVE_TIMEOUT_MS = 150_000;
/** Cleanup must finish well inside the app's own bound (SHUTDOWN_BOUND_MS, 15 s) plus exit. */
const EXIT_TIMEOUT_MS = 30_000;

/** Names of Docker objects carrying the run's label. */
function dockerObjects(kind: 'ps' | 'volume', runId: string): string[] {
  const args =
    kind === 'ps'
      ? ['ps', '-a', '-q', '--filter', `label=benchvisor.run=${runId}`]
      : ['volume', 'ls', '-q', '--filter', `label=benchvisor.run=${runId}`];
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

interface LiveRun {
  name: string;
  child: ChildProcess;
  stderr: () => string;
  runId: () => string | undefined;
  exited: Promise<[number | null, string | null]>;
  runsDir: string;
}

/** `benchvisor run` of `linpack` on one platform, with many repetitions (still going at the signal). */
function startRun(dir: string, name: string, platform: string, binDir: string): LiveRun {
  const config = join(dir, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      name: `Signal test (${platform})`,
      platforms: [platform],
      profile: 'quick',
      benchmarks: ['linpack'],
      guest: { vcpus: 1, memoryMiB: 256, diskSizeMiB: 64 },
      docker: { network: 'host', diskOn: 'scratch' },
      repetitions: { count: 500, warmup: 0 },
    }),
  );
  const runsDir = join(dir, `runs-${name}`);
  const child = spawn(process.execPath, [CLI, 'run', config], {
    cwd: ROOT,
    env: {
      ...process.env,
      BENCHVISOR_RUNS: runsDir,
      BENCHVISOR_CACHE: join(dir, 'cache'),
      BENCHVISOR_BENCH_DIR: binDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  return {
    name,
    child,
    stderr: () => stderr,
    runId: () => /^run (\S+) → /m.exec(stderr)?.[1],
    exited,
    runsDir,
  };
}

// The runner measures one target after another, so a single run has either its container or
// its guest live: two runs (a Docker one and a TCG one) are caught with both live at once.
describe('two SIGINTs within 100 ms while a Docker container and a TCG guest are live', () => {
  const tmp = tempDir('sigint');
  afterAll(() => tmp.cleanup());

  it(
    'each run cleans up: exit 130, no container, volume or qemu process left, run marked cancelled',
    async () => {
      const binDir = privateBinDir(tmp.dir);
      const runs = [
        startRun(tmp.dir, 'docker', 'docker', binDir),
        startRun(tmp.dir, 'tcg', 'qemu-tcg', binDir),
      ];
      const [docker, tcg] = runs as [LiveRun, LiveRun];
      const qemu = () =>
        processesMatching(tmp.dir).filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('qemu-system');
          } catch {
            return false;
          }
        });
      const containers = () => {
        const id = docker.runId();
        return id ? dockerObjects('ps', id) : [];
      };
      try {
        const live = await waitFor(
          () => !!tcg.runId() && qemu().length > 0 && containers().length > 0,
          LIVE_TIMEOUT_MS,
          500,
        );
        expect(live, `not both live:\n${docker.stderr()}\n${tcg.stderr()}`).toBe(true);

        for (const r of runs) r.child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 50));
        for (const r of runs) r.child.kill('SIGINT');

        const timer = setTimeout(
          () => runs.forEach((r) => r.child.kill('SIGKILL')),
          EXIT_TIMEOUT_MS,
        );
        const ends = await Promise.all(runs.map((r) => r.exited));
        clearTimeout(timer);
        for (const [i, r] of runs.entries()) {
          const [code, signal] = ends[i]!;
          expect({ run: r.name, code, signal }, r.stderr()).toEqual({
            run: r.name,
            code: 130,
            signal: null,
          });
          const id = r.runId()!;
          expect(dockerObjects('ps', id)).toEqual([]);
          expect(dockerObjects('volume', id)).toEqual([]);
          const experiment = JSON.parse(
            readFileSync(join(r.runsDir, id, 'experiment.json'), 'utf8'),
          ) as { status: string };
          expect(experiment.status).toBe('cancelled');
          // One cleanup: the copy of the signal neither started a second one nor forced the exit.
          expect(r.stderr().match(/stopping the run, containers and guests/g)).toHaveLength(1);
          expect(r.stderr()).not.toMatch(/killing what is left/);
        }
        expect(qemu()).toEqual([]);
      } finally {
        for (const r of runs)
          if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      }
    },
    LIVE_TIMEOUT_MS + EXIT_TIMEOUT_MS + 30_000,
  );
});
