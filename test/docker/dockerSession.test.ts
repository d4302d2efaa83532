/**
 * The docker platform against the real daemon: every benchmark binary and
 * nginx in a container, limits checked against docker inspect, typing,
 * timeouts, cancel, crash leftovers swept, nothing labelled benchvisor left.
 *
 * Two containers are started once for the file and reused by its tests (a payload is baked
 * into its image, so the stand-ins need an image of their own): the real benchmarks (disk on a
 * volume, host network), and stand-in scripts plus the real diskwrite (disk on the container
 * layer, bridge network where the daemon has one). Only the crash test starts its own: its
 * subject is a container its process never disposes of.
 */
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oncePerFile } from '../support/oncePerFile';
import { nginxService } from '../../src/main/benchmarks/nginx/nginxService';
import { parseExperimentConfig } from '../../src/shared/config';
import type { ExperimentConfig, ExperimentConfigInput } from '../../src/shared/config';
import { ProcessTracker } from '../../src/main/process/tracker';
import { createDockerPlatform, listOwned } from '../../src/main/platforms/docker';
import type { DockerPlatform } from '../../src/main/platforms/docker';
import { readContainerFile } from '../../src/main/platforms/docker/containerFile';
import type { PlatformSession, PrepareContext } from '../../src/main/platforms/platform';
import {
  BENCH_BIN_DIR,
  ensureBenchBuilt,
  requireDaemon,
  resultLine,
  SKIP_DOCKER,
  skipWhenDockerOptedOut,
} from './dockerEnv';
import { waitFor } from '../engine/helpers';

let counter = 0;
function runId(tag: string): string {
  return `test-${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

function config(input: Partial<ExperimentConfigInput> = {}): ExperimentConfig {
  const parsed = parseExperimentConfig({
    platforms: ['docker'],
    benchmarks: ['linpack'],
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

function runDirOf(id: string): string {
  return join(tmpdir(), `bv-docker-${id}`);
}

function context(
  id: string,
  cfg: ExperimentConfig,
  consoleText: { text: string },
  signal = new AbortController().signal,
): PrepareContext {
  return {
    runId: id,
    target: 'docker',
    config: cfg,
    // Each run its own folder: the disk target's scratch folder is bind-mounted from it.
    runDir: runDirOf(id),
    console: { data: (d) => (consoleText.text += d) },
    log: () => {},
    signal,
  };
}

/**
 * Shell scripts standing in for benchmark binaries (for typing, timeouts and cancel); the
 * stand-in payload takes the real diskwrite (for the disk on the container layer).
 */
const SCRIPTS: Record<string, string> = {
  linpack: 'read line\necho "got:$line"\n',
  syscall: 'echo sleeping-now\nexec /bin/busybox sleep 30\n',
  memsweep: '/bin/busybox ps -o pid,args\n',
  forksum: 'echo ok\n',
};

/** A started container and the console text its session wrote (tests may reset it). */
interface Started {
  id: string;
  session: PlatformSession;
  out: { text: string };
}

describe('docker platform (real daemon, two containers for the file)', () => {
  let docker: Dockerode;
  let scratch: string;
  let scriptDir: string;
  let hasBridge = false;
  const tracker = new ProcessTracker();
  let platform: DockerPlatform;
  let scripted: DockerPlatform;
  const ids: string[] = [];

  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
    await ensureBenchBuilt();
    scratch = await mkdtemp(join(tmpdir(), 'benchvisor-docker-'));
    scriptDir = join(scratch, 'bench');
    await mkdir(scriptDir);
    for (const [name, body] of Object.entries(SCRIPTS)) {
      await writeFile(join(scriptDir, name), `#!/bin/sh\n${body}`);
      await chmod(join(scriptDir, name), 0o755);
    }
    await copyFile(join(BENCH_BIN_DIR, 'diskwrite'), join(scriptDir, 'diskwrite'));
    platform = createDockerPlatform({ paths: { benchBinDir: BENCH_BIN_DIR }, tracker, docker });
    scripted = createDockerPlatform({ paths: { benchBinDir: scriptDir }, tracker, docker });
    hasBridge = (await docker.listNetworks()).some((n) => n.Name === 'bridge');
  });

  // Registered first, so it runs last: after the shared containers' own close and checks.
  afterAll(async () => {
    if (SKIP_DOCKER) return;
    await tracker.killAll();
    await rm(scratch, { recursive: true, force: true });
    expect(await owned(ids), 'left behind by this file').toEqual([]);
    for (const id of ids) await rm(runDirOf(id), { recursive: true, force: true });
  });

  /** Starts a container of the file (its run id recorded for the leftover check). */
  async function start(tag: string, on: DockerPlatform, cfg: ExperimentConfig): Promise<Started> {
    const id = runId(tag);
    ids.push(id);
    const out = { text: '' };
    return { id, session: await on.prepare(context(id, cfg, out)), out };
  }
  /** Containers and volumes of these run ids that still exist. */
  async function owned(runIds: string[]): Promise<string[]> {
    const left: string[] = [];
    for (const id of runIds) {
      const o = await listOwned(docker, id);
      left.push(...o.containers, ...o.volumes);
    }
    return left;
  }
  const sharedHooks = {
    close: async ({ session }: Started) => session.dispose(),
    leftovers: (started: Started | undefined) => owned(started ? [started.id] : []),
    skip: () => (SKIP_DOCKER ? 'BENCHVISOR_SKIP_DOCKER=1' : null),
  };
  const real = oncePerFile<Started>({
    what: 'the container with the real benchmarks',
    open: () =>
      start(
        'real',
        platform,
        config({
          guest: { vcpus: 1, memoryMiB: 256 },
          docker: { network: 'host', diskOn: 'volume' },
        }),
      ),
    ...sharedHooks,
  });
  const standIn = oncePerFile<Started>({
    what: 'the container with the stand-ins',
    open: () =>
      start(
        'stand-in',
        scripted,
        config({ docker: { network: hasBridge ? 'bridge' : 'host', diskOn: 'layer' } }),
      ),
    ...sharedHooks,
  });

  it('probes the daemon with its version, cgroup version and storage driver', async () => {
    const a = await platform.probe();
    expect(a.available).toBe(true);
    expect(a.details?.version).toMatch(/^\d+\.\d+/);
    expect(a.details?.cgroupVersion).toMatch(/^[12]$/);
    expect(a.details?.storageDriver).toBeTruthy();
  });

  // Every benchmark in a container runs here, once (the other layers use one benchmark).
  it('runs every benchmark binary and nginx in one container with the configured limits', async () => {
    const { id, session, out } = real();
    const [container] = await docker.listContainers({
      filters: { label: [`benchvisor.run=${id}`] },
    });
    expect(container).toBeDefined();
    const inspect = await docker.getContainer(container!.Id).inspect();
    const meta = await session.meta();
    expect(meta.cpus).toBe(inspect.HostConfig.NanoCpus! / 1e9);
    expect(meta.cpus).toBe(1);
    expect(meta.memoryMiB).toBe(inspect.HostConfig.Memory! / 1048576);
    expect(meta.memoryMiB).toBe(256);
    expect(meta.network).toBe('host');
    expect(meta.diskOn).toBe('volume');
    expect(meta.imageId).toBe(inspect.Image);
    expect(inspect.Config.Labels).toMatchObject({ benchvisor: '1', 'benchvisor.run': id });
    expect(inspect.Mounts.some((m) => m.Type === 'volume' && m.Destination === '/data')).toBe(true);

    const runs: [string, string[]][] = [
      ['linpack', ['--size', '200', '--seconds', '0.05']],
      ['memsweep', ['--size', String(4 * 1024 * 1024)]],
      ['diskwrite', ['--file', session.diskTarget, '--size-mib', '8', '--block-kib', '256']],
      ['forksum', ['--start', '1', '--end', '200']],
      ['syscall', ['--count', '100000']],
    ];
    const handle = docker.getContainer(container!.Id);
    for (const [i, [binary, args]] of runs.entries()) {
      const r = await session.exec({ binary: binary as 'linpack', args, timeoutMs: 60_000 });
      expect(r.failure, `${binary}: ${r.stdout}`).toBeUndefined();
      expect(r.exitCode, r.stdout).toBe(0);
      const parsed = resultLine(r.stdout);
      expect(parsed?.benchmark).toBe(binary);
      expect(Object.keys(parsed?.metrics ?? {}).length).toBeGreaterThan(0);
      // The result line's copy (the guard against a TTY losing it), read through the archive API.
      const copy = await readContainerFile(handle, `/tmp/benchvisor-result-${i + 1}.txt`);
      expect(copy?.trim()).toBe(r.stdout.split('\n').find((l) => l.startsWith('@@BENCHVISOR')));
    }
    expect(await readContainerFile(handle, '/tmp/no-such-file')).toBeNull();
    expect(out.text).toContain('@@BENCHVISOR {"benchmark":"forksum"');
    // Every repetition's console output starts with its command header, as on the other platforms.
    expect(out.text).toMatch(
      /# benchvisor \(docker\): \S*\/linpack --size 200 --seconds 0\.05\r\n/,
    );
    expect(out.text.split('# benchvisor (docker): ').length - 1).toBe(runs.length);

    const nginx = await session.startService(nginxService(100_000));
    expect(nginx.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(out.text).toMatch(/# benchvisor \(docker\): \S*nginx -p /);
    const res = await fetch(nginx.url);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(100_000);
    await nginx.stop();
    await expect(fetch(nginx.url)).rejects.toThrow();
  });

  it('writes diskwrite on the container layer when asked, without a volume', async () => {
    const { id, session } = standIn();
    expect(await listOwned(docker, id)).toMatchObject({ volumes: [] });
    expect(await session.meta()).toMatchObject({ diskOn: 'layer', volume: null });
    const r = await session.exec({
      binary: 'diskwrite',
      args: ['--file', session.diskTarget, '--size-mib', '4', '--block-kib', '256'],
      timeoutMs: 60_000,
    });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(resultLine(r.stdout)?.metrics.mbps).toBeGreaterThan(0);
  });

  it('forwards typing to the running exec', async () => {
    const { session } = standIn();
    expect(session.write('too early\n')).toBe(false);
    const pending = session.exec({ binary: 'linpack', args: [], timeoutMs: 30_000 });
    // Typing is accepted once the exec is attached (bounded: the exec's own timeout is 30 s).
    expect(await waitFor(() => session.write('hello benchvisor\r'), 30_000)).toBe(true);
    const r = await pending;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('got:hello benchvisor');
    expect(session.write('after\n')).toBe(false);
  });

  it('kills a repetition at its timeout and on cancel, leaving no process behind', async () => {
    const { session, out } = standIn();
    const timedOut = await session.exec({ binary: 'syscall', args: [], timeoutMs: 300 });
    expect(timedOut.failure?.code).toBe('TIMEOUT');
    const ac = new AbortController();
    out.text = '';
    const pending = session.exec({
      binary: 'syscall',
      args: [],
      timeoutMs: 60_000,
      signal: ac.signal,
    });
    // Cancel once the stand-in is running (it says so before it sleeps), not after a guess.
    expect(await waitFor(() => out.text.includes('sleeping-now'), 30_000)).toBe(true);
    ac.abort();
    const cancelled = await pending;
    expect(cancelled.failure?.code).toBe('CANCELLED');
    const ps = await session.exec({ binary: 'memsweep', args: [], timeoutMs: 30_000 });
    expect(ps.exitCode).toBe(0);
    expect(ps.stdout).toMatch(/sleep 2147483647/); // the idle PID 1 is still there
    expect(ps.stdout).not.toMatch(/sleep 30/);
  });

  it('refuses more vCPUs than the daemon has, before creating anything', async () => {
    const id = runId('shape');
    ids.push(id);
    const cpus = Number((await platform.probe()).details?.cpus);
    await expect(
      platform.prepare(context(id, config({ guest: { vcpus: cpus + 1 } }), { text: '' })),
    ).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('guest.vcpus'),
    });
    expect(await listOwned(docker, id)).toEqual({ containers: [], volumes: [] });
  });

  it('serves nginx over the bridge network, or explains that the daemon has none', async () => {
    if (hasBridge) {
      const { session } = standIn();
      expect(await session.meta()).toMatchObject({ network: 'bridge' });
      const nginx = await session.startService(nginxService(1000));
      expect((await (await fetch(nginx.url)).arrayBuffer()).byteLength).toBe(1000);
      await nginx.stop();
    } else {
      const id = runId('bridge');
      ids.push(id);
      await expect(
        platform.prepare(
          context(id, config({ docker: { network: 'bridge', diskOn: 'volume' } }), { text: '' }),
        ),
      ).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/--bridge=none.*"host"/),
      });
      expect(await listOwned(docker, id)).toEqual({ containers: [], volumes: [] });
    }
  });
});

// After the file's shared containers are gone: the sweep below treats this process as dead, so
// it would remove every container this process owns.
describe('docker platform: a crashed run (real daemon, its own container)', () => {
  let docker: Dockerode;
  const id = runId('crash');
  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
  });
  afterAll(async () => {
    if (SKIP_DOCKER) return;
    expect(await listOwned(docker, id)).toEqual({ containers: [], volumes: [] });
    await rm(runDirOf(id), { recursive: true, force: true });
  });

  // Its own container: the subject is one that its process never disposes of.
  it("sweeps a crashed run's container and volume, but not those of a live process", async () => {
    const crashTracker = new ProcessTracker();
    const crashed = createDockerPlatform({
      paths: { benchBinDir: BENCH_BIN_DIR },
      tracker: crashTracker,
      docker,
    });
    await crashed.prepare(
      context(id, config({ docker: { network: 'host', diskOn: 'volume' } }), { text: '' }),
    );
    // The session is never disposed: as if the app died here.
    const owned = await listOwned(docker, id);
    expect(owned.containers).toHaveLength(1);
    expect(owned.volumes).toHaveLength(1);
    const live = await crashed.sweepOrphans();
    expect(live.containers).not.toContain(`benchvisor-${id}`);
    expect((await listOwned(docker, id)).containers).toHaveLength(1);
    const swept = await crashed.sweepOrphans({ deadPids: [process.pid] });
    expect(swept.containers).toContain(`benchvisor-${id}`);
    expect(swept.volumes).toContain(`benchvisor-${id}-data`);
    expect(await listOwned(docker, id)).toEqual({ containers: [], volumes: [] });
    await crashTracker.killAll(); // idempotent on a removed container
  });
});

describe('docker platform with a dead DOCKER_HOST', () => {
  it('probes unavailable with the fix, and prepare fails with DAEMON_UNREACHABLE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchvisor-dead-'));
    try {
      const p = createDockerPlatform({
        paths: { benchBinDir: BENCH_BIN_DIR },
        tracker: new ProcessTracker(),
        env: { DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` },
      });
      const a = await p.probe();
      expect(a.available).toBe(false);
      expect(a.reason).toContain(join(dir, 'docker.sock'));
      expect(a.fix).toMatch(/systemctl start docker/);
      await expect(p.prepare(context(runId('dead'), config(), { text: '' }))).rejects.toMatchObject(
        {
          code: 'DAEMON_UNREACHABLE',
          message: expect.stringMatching(/does not exist.*systemctl start docker/),
        },
      );
      expect(await p.sweepOrphans().catch((e: Error) => e.message)).toMatch(/ENOENT|connect/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
