/**
 * Whole runs through the engine (ExperimentRunner + real benchmark runners):
 * native and docker side by side on one benchmark (every benchmark in a container runs in
 * dockerSession.test.ts), a cancelled run, and a run whose docker daemon is unreachable.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import type { ExperimentConfigInput } from '../../src/shared/config';
import { createEngine } from '../../src/main/composition';
import { readSamples } from '../../src/main/store/runStore';
import type { Engine } from '../../src/main/composition';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import type { Platform } from '../../src/main/platforms/platform';
import { listOwned } from '../../src/main/platforms/docker';
import { resourceLabels } from '../../src/main/platforms/docker/labels';
import { dockerSuite, ensureBenchBuilt } from './dockerEnv';

function config(input: Partial<ExperimentConfigInput>) {
  const parsed = parseExperimentConfig({
    platforms: ['native', 'docker'],
    benchmarks: ['syscall'],
    profile: 'quick',
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

/**
 * Polls `docker top` until stopped and adds the host pid of every process whose command names
 * `program` (the container's benchmark runs for about a second per repetition; a poll takes tens
 * of milliseconds). A paused or stopped container answers with an error: skipped.
 */
function watchContainerPids(
  container: Dockerode.Container,
  program: string,
  pids: Set<number>,
): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const top = (await container.top({ ps_args: '-eo pid,args' })) as {
          Titles: string[];
          Processes: string[][];
        };
        const pidCol = top.Titles.indexOf('PID');
        const cmdCol = top.Titles.findIndex((t) => t === 'COMMAND' || t === 'CMD');
        for (const row of top.Processes)
          if (row[cmdCol]?.includes(`/${program}`)) pids.add(Number(row[pidCol]));
      } catch {
        // paused (interleaved order pauses an idle container) or gone
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

function engineWith(runsDir: string, env: NodeJS.ProcessEnv = process.env): Engine {
  return createEngine({ paths: { ...defaultAppPaths(), runsDir }, env });
}

describe('runs with docker (real daemon)', () => {
  const suite = dockerSuite('benchvisor-docker-runs-');

  // Every benchmark in a container runs once, in dockerSession.test.ts (platform layer); here,
  // at the runner layer, one benchmark next to native.
  it('runs a benchmark natively and in a container, with limits from docker inspect in the meta', async () => {
    const engine = engineWith(suite.runDir);
    const dockerPlatform = engine.platforms.find((p) => p.id === 'docker')!;
    // Look at the container while it exists: its limits must match every sample's meta.
    let inspected: Dockerode.ContainerInspectInfo | undefined;
    // The host pids of the container's benchmark processes, seen by `docker top` during the run.
    const containerPids = new Set<number>();
    let watching: { stop(): Promise<void> } | undefined;
    const original = dockerPlatform.prepare.bind(dockerPlatform);
    (dockerPlatform as { prepare: Platform['prepare'] }).prepare = async (ctx) => {
      const session = await original(ctx);
      const [c] = await suite.docker.listContainers({
        filters: { label: [`benchvisor.run=${ctx.runId}`] },
      });
      inspected = await suite.docker.getContainer(c!.Id).inspect();
      watching = watchContainerPids(suite.docker.getContainer(c!.Id), 'syscall', containerPids);
      return session;
    };
    const runner = engine.createRunner();
    const started = await runner.start(
      config({
        benchmarks: ['syscall'],
        guest: { vcpus: 1, memoryMiB: 384 },
        repetitions: { count: 2 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    await watching?.stop();
    const samples = readSamples(fin.dir);
    const failures = samples
      .filter((s) => s.value === null)
      .map((s) => `${s.platform}/${s.benchmark}: ${s.error}`);
    expect(failures).toEqual([]);
    expect(fin.status).toBe('completed');
    for (const platform of ['native', 'docker'] as const) {
      expect(
        samples.filter((s) => s.platform === platform).map((s) => `${s.benchmark}#${s.rep}`),
      ).toEqual(['syscall#1', 'syscall#2']);
    }
    expect(inspected).toBeDefined();
    for (const s of samples.filter((x) => x.platform === 'docker')) {
      expect(s.meta.cpus).toBe(inspected!.HostConfig.NanoCpus! / 1e9);
      expect(s.meta.memoryMiB).toBe(inspected!.HostConfig.Memory! / 1048576);
      expect(s.meta.memoryMiB).toBe(384);
      expect(s.meta.storageDriver).toBeTruthy();
      // The host's CPU split was measured, and the container's benchmark processes (found by the
      // container's cgroup and its shim) count as the run's own CPU, never as "another process".
      // Other test files run beside this one and may run a process named `syscall` of their own,
      // which is rightly another process: so the check is by pid, against what `docker top` saw.
      const cpu = s.meta.hostCpu as { topOthers: { pid: number; comm: string }[] };
      expect(cpu.topOthers.filter((o) => containerPids.has(o.pid))).toEqual([]);
    }
    // docker top saw the benchmark in the container (so the check above compared real pids).
    expect(containerPids.size).toBeGreaterThan(0);
    expect(readFileSync(join(fin.dir, 'consoles', 'docker.log'), 'utf8')).toContain(
      '@@BENCHVISOR {"benchmark":"syscall"',
    );
    expect(await listOwned(suite.docker, started.value.runId)).toEqual({
      containers: [],
      volumes: [],
    });
    expect(engine.tracker.size).toBe(0);
  });

  it('leaves nothing labelled benchvisor behind after a cancelled run', async () => {
    const engine = engineWith(suite.runDir);
    const runner = engine.createRunner();
    let cancelled = false;
    runner.on('run:progress', (e) => {
      if (!cancelled && e.current?.platform === 'docker') {
        cancelled = true;
        runner.cancel();
      }
    });
    const started = await runner.start(
      config({
        platforms: ['docker'],
        benchmarks: [{ id: 'linpack', params: { seconds: 2 } }],
        repetitions: { count: 5 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(cancelled).toBe(true);
    expect(fin.status).toBe('cancelled');
    expect(readSamples(fin.dir).filter((s) => s.value !== null).length).toBeLessThan(5);
    expect(await listOwned(suite.docker, started.value.runId)).toEqual({
      containers: [],
      volumes: [],
    });
    expect(engine.tracker.size).toBe(0);
  });

  it('sweeps orphans through the platform interface', async () => {
    // A volume left by a crashed run: labelled as ours, created by a process that is gone.
    const deadPid = spawnSync('true').pid!;
    const runId = `test-orphan-${process.pid}-${Date.now().toString(36)}`;
    const name = `benchvisor-${runId}-data`;
    await suite.docker.createVolume({
      Name: name,
      Labels: resourceLabels({ runId, hostname: hostname(), pid: deadPid }),
    });
    expect((await listOwned(suite.docker, runId)).volumes).toEqual([name]);
    const engine = engineWith(suite.runDir);
    const platform = engine.platforms.find((p) => p.id === 'docker')!;
    expect(platform.sweepOrphans).toBeTypeOf('function');
    const swept = await platform.sweepOrphans!();
    expect(swept.volumes).toContain(name);
    expect(await listOwned(suite.docker, runId)).toEqual({ containers: [], volumes: [] });
  });
});

describe('a run with an unreachable docker daemon', () => {
  let runsDir: string;
  let deadHost: string;
  beforeAll(async () => {
    await ensureBenchBuilt();
    runsDir = await mkdtemp(join(tmpdir(), 'benchvisor-docker-dead-'));
    deadHost = `unix://${join(runsDir, 'no-daemon.sock')}`;
  });
  afterAll(async () => {
    await rm(runsDir, { recursive: true, force: true });
  });

  it('doctor reports why, with the fix', async () => {
    const engine = engineWith(runsDir, { ...process.env, DOCKER_HOST: deadHost });
    const report = await engine.doctor();
    const entry = report.platforms.find((p) => p.id === 'docker');
    expect(entry?.availability.available).toBe(false);
    expect(entry?.availability.reason).toMatch(/no-daemon\.sock does not exist/);
    expect(entry?.availability.fix).toMatch(/systemctl start docker/);
  });

  it('is refused naming docker, or with skipUnavailable keeps the native samples', async () => {
    const engine = engineWith(runsDir, { ...process.env, DOCKER_HOST: deadHost });
    // One benchmark (the runner layer never needs the matrix): what matters is the platform.
    const cfg = config({ benchmarks: ['syscall'], repetitions: { count: 2 } });
    const refused = await engine.createRunner().start(cfg);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/docker.*no-daemon\.sock/);

    const started = await engine.createRunner().start({ ...cfg, skipUnavailable: true });
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    expect(samples.filter((s) => s.platform === 'native' && s.value !== null)).toHaveLength(2);
    expect(samples.filter((s) => s.platform === 'docker')).toHaveLength(0);
    const experiment = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8')) as {
      skipped: { platform: string; reason: string }[];
    };
    expect(experiment.skipped.find((s) => s.platform === 'docker')?.reason).toMatch(
      /no-daemon\.sock/,
    );
  });

  it('fails the docker platform clearly when the daemon vanishes after the preflight, keeping native samples', async () => {
    const engine = engineWith(runsDir, { ...process.env, DOCKER_HOST: deadHost });
    const dockerPlatform = engine.platforms.find((p) => p.id === 'docker')!;
    // The preflight saw a daemon; by the time docker's turn comes it is gone.
    (dockerPlatform as { probe: Platform['probe'] }).probe = () =>
      Promise.resolve({ available: true });
    const started = await engine
      .createRunner()
      .start(config({ benchmarks: ['syscall'], repetitions: { count: 2 } }));
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    expect(samples.filter((s) => s.platform === 'native' && s.value !== null)).toHaveLength(2);
    // no docker repetition could run; whatever was recorded for docker is a failure
    for (const s of samples.filter((x) => x.platform === 'docker')) expect(s.value).toBeNull();
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as {
      platform: string;
      status: string;
      reason?: string;
    }[];
    const cell = cells.find((c) => c.platform === 'docker');
    expect(cell?.status).toBe('failed');
    expect(cell?.reason).toMatch(
      /DAEMON_UNREACHABLE|Docker is not available.*systemctl start docker/,
    );
  });
});
