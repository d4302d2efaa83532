import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import type { ExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ProcessTracker } from '../../src/main/process/tracker';
import { dockerRunArgv } from '../../src/main/platforms/docker/dockerRunArgv';
import {
  checkShape,
  containerSpec,
  createDockerClient,
  createDockerPlatform,
  parseDockerHost,
  probeDocker,
  START_DAEMON_FIX,
  sweepOrphans,
} from '../../src/main/platforms/docker';
import { resourceLabels } from '../../src/main/platforms/docker/labels';
import type { DockerEndpoint } from '../../src/main/platforms/docker/dockerClient';
import { createHostProbe } from '../../src/main/host/hostProbe';

/** The run and host a container's labels name (the host as a constructed probe gives it). */
const OWNER = { runId: 'run-1', hostname: 'probe-host' };

function config(input: Record<string, unknown>): ExperimentConfig {
  const parsed = parseExperimentConfig({
    platforms: ['docker'],
    benchmarks: ['linpack'],
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('parseDockerHost', () => {
  it('defaults to the standard socket', () => {
    expect(parseDockerHost(undefined)).toMatchObject({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
    });
  });
  it('reads unix and tcp forms', () => {
    expect(parseDockerHost('unix:///tmp/x.sock')).toMatchObject({
      kind: 'unix',
      socketPath: '/tmp/x.sock',
    });
    expect(parseDockerHost('tcp://127.0.0.1:2375')).toMatchObject({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
    });
  });
  it('explains a form it does not understand', () => {
    expect(parseDockerHost('ssh://me@box')).toEqual({
      error: expect.stringContaining('ssh://me@box'),
    });
  });
});

describe('containerSpec', () => {
  it("by default bind-mounts the run's scratch folder on /data (the same host filesystem as native)", () => {
    const spec = containerSpec(OWNER, config({}), 'img:tag', 'run-1', '/runs/r1/scratch/docker');
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: '/runs/r1/scratch/docker', Target: '/data' },
    ]);
    expect(() => containerSpec(OWNER, config({}), 'img:tag')).toThrow(/scratch folder/);
  });

  it('carries the guest shape, labels and a volume on /data', () => {
    const spec = containerSpec(
      OWNER,
      config({ guest: { vcpus: 2, memoryMiB: 256 }, docker: { diskOn: 'volume' } }),
      'img:tag',
    );
    expect(spec.HostConfig).toMatchObject({
      NanoCpus: 2e9,
      Memory: 256 * 1048576,
      MemorySwap: 256 * 1048576,
      NetworkMode: 'host',
      Mounts: [{ Type: 'volume', Source: 'benchvisor-run-1-data', Target: '/data' }],
    });
    expect(spec.Labels).toMatchObject({
      benchvisor: '1',
      'benchvisor.run': 'run-1',
      'benchvisor.host': 'probe-host',
    });
    expect(spec.Image).toBe('img:tag');
  });

  it('publishes the nginx port on 127.0.0.1 only in bridge mode, and no volume for the layer', () => {
    const spec = containerSpec(
      { runId: 'r', hostname: 'h' },
      config({ docker: { network: 'bridge', diskOn: 'layer' } }),
      'i',
    );
    expect(spec.HostConfig?.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    expect(spec.HostConfig?.Mounts).toBeUndefined();
  });
});

describe('sweepOrphans: which labelled resources are leftovers', () => {
  /** A daemon holding labelled volumes; records which ones were removed. */
  function fakeDaemon(labels: Record<string, Record<string, string>>) {
    const removed: string[] = [];
    const docker = {
      listContainers: () => Promise.resolve([]),
      listVolumes: () =>
        Promise.resolve({
          Volumes: Object.entries(labels).map(([Name, Labels]) => ({ Name, Labels })),
        }),
      getVolume: (name: string) => ({
        remove: () => {
          removed.push(name);
          return Promise.resolve();
        },
      }),
    } as unknown as Dockerode;
    return { docker, removed };
  }
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;

  it("removes this host's resources of dead processes, leaves another host's and live ones", async () => {
    const { docker, removed } = fakeDaemon({
      mineDead: resourceLabels({ runId: 'a', hostname: 'probe-host', pid: dead }),
      mineLive: resourceLabels({ runId: 'b', hostname: 'probe-host', pid: process.pid }),
      otherHost: resourceLabels({ runId: 'c', hostname: 'elsewhere', pid: dead }),
    });
    const platform = createDockerPlatform({
      paths: { benchBinDir: '/nonexistent' },
      tracker: new ProcessTracker(),
      docker,
      host: createHostProbe({ hostname: 'probe-host' }),
    });
    expect((await platform.sweepOrphans()).volumes).toEqual(['mineDead']);
    expect(removed).toEqual(['mineDead']);
    // the same labels read by a probe of "elsewhere": only that host's dead one is a leftover
    const there = fakeDaemon({
      mineDead: resourceLabels({ runId: 'a', hostname: 'probe-host', pid: dead }),
      otherHost: resourceLabels({ runId: 'c', hostname: 'elsewhere', pid: dead }),
    });
    expect((await sweepOrphans(there.docker, { hostname: 'elsewhere' })).volumes).toEqual([
      'otherHost',
    ]);
    // `all` removes everything labelled ours
    const all = fakeDaemon({
      otherHost: resourceLabels({ runId: 'c', hostname: 'elsewhere', pid: dead }),
    });
    await sweepOrphans(all.docker, { hostname: 'probe-host', all: true });
    expect(all.removed).toEqual(['otherHost']);
  });
});

describe('checkShape', () => {
  it('refuses more vCPUs than the daemon has, naming the field', () => {
    expect(() =>
      checkShape(config({ guest: { vcpus: 4 } }), { cpus: 2, memoryBytes: 8 * 2 ** 30 }),
    ).toThrow(/guest\.vcpus is 4.*only 2 CPUs/);
    expect(() =>
      checkShape(config({ guest: { vcpus: 2 } }), { cpus: 2, memoryBytes: 8 * 2 ** 30 }),
    ).not.toThrow();
  });
});

describe('probeDocker without a daemon', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'benchvisor-probe-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says the socket is missing and how to start the daemon', async () => {
    const endpoint = parseDockerHost(`unix://${join(dir, 'missing.sock')}`) as DockerEndpoint;
    const a = await probeDocker(createDockerClient(endpoint), endpoint);
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/missing\.sock does not exist/);
    expect(a.fix).toBe(START_DAEMON_FIX);
    expect(a.fix).toMatch(/systemctl start docker/);
    expect(a.fix).toMatch(/dockerd --bridge=none --iptables=false/);
  });

  it('says nothing answers on a dead socket path', async () => {
    const path = join(dir, 'dead.sock');
    await writeFile(path, '');
    const endpoint = parseDockerHost(`unix://${path}`) as DockerEndpoint;
    const a = await probeDocker(createDockerClient(endpoint), endpoint);
    expect(a).toMatchObject({ available: false, fix: START_DAEMON_FIX });
    expect(a.reason).toMatch(/dead\.sock exists but no daemon answers/);
  });
});

describe('describe(): the review step renders the very container spec', () => {
  it('shows the docker run line of containerSpec for every variant, and each benchmark', async () => {
    const platform = createDockerPlatform({
      paths: { benchBinDir: '/nonexistent' },
      tracker: new ProcessTracker(),
      env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
      runners: createBenchmarkRunners(),
      host: createHostProbe({ hostname: 'probe-host' }),
    });
    for (const docker of [
      { network: 'bridge', diskOn: 'volume' },
      { network: 'host', diskOn: 'layer' },
      { network: 'host', diskOn: 'scratch' },
    ] as const) {
      const cfg = config({
        benchmarks: ['linpack', 'diskwrite', 'nginx'],
        guest: { vcpus: 2, memoryMiB: 768 },
        docker,
      });
      const lines = await platform.describe(cfg, 'docker');
      const run = lines.find((l) => l.argv[1] === 'run')!.argv;
      const spec = containerSpec(
        { runId: 'RUN_ID', hostname: 'probe-host' },
        cfg,
        'benchvisor-payload:<payload hash>',
        'RUN_ID',
        '<run folder>/scratch/docker',
      );
      expect(run).toEqual(dockerRunArgv(spec));
      // the labels name the host the platform's probe gives
      expect(run).toContain('benchvisor.host=probe-host');
      expect(run).toContain('--cpus=2');
      expect(run).toContain('--memory=768m');
      expect(run).toContain(`--network=${docker.network}`);
      expect(run.includes('--publish')).toBe(docker.network === 'bridge');
      if (docker.network === 'bridge') expect(run).toContain('127.0.0.1::8080');
      expect(run.includes('--mount')).toBe(docker.diskOn !== 'layer');
      if (docker.diskOn === 'scratch')
        expect(run).toContain('type=bind,source=<run folder>/scratch/docker,target=/data');
      const disk = lines.find((l) => l.argv.some((a) => a.endsWith('/diskwrite')))!.argv;
      expect(disk).toEqual(expect.arrayContaining(['--file', '/data/disk-target.bin']));
      const nginx = lines.find((l) => l.argv.includes('/usr/sbin/nginx'))!.argv;
      expect(nginx).toContain('/var/lib/benchvisor-nginx/nginx.conf');
    }
  });

  it('refuses to render a container field it does not know (so the two cannot drift)', () => {
    const spec = containerSpec(
      { runId: 'r', hostname: 'h' },
      config({}),
      'img',
      'r',
      '/runs/r/scratch/docker',
    );
    expect(() =>
      dockerRunArgv({ ...spec, HostConfig: { ...spec.HostConfig, CpusetCpus: '0' } }),
    ).toThrow(/CpusetCpus/);
  });
});
