/**
 * Variants with a real Docker daemon: vCPUs 1 and 2 are two targets, each its own
 * container (checked with docker inspect while it runs), run one after another;
 * the image is built at most once; every sample carries its target and shape.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { createEngine } from '../../src/main/composition';
import { readSamples } from '../../src/main/store/runStore';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import type { Platform } from '../../src/main/platforms/platform';
import { listOwned } from '../../src/main/platforms/docker';
import { dockerSuite } from './dockerEnv';

/** Docker's NanoCpus per CPU. */
const NANO = 1e9;

describe('docker variants (real daemon)', () => {
  const suite = dockerSuite('benchvisor-docker-variants-');

  it('vCPUs 1 and 2: one container per target with NanoCpus to match, run in turn', async () => {
    const parsed = parseExperimentConfig({
      platforms: ['docker'],
      benchmarks: ['syscall'],
      profile: 'quick',
      // One target after another, one container each: this test reads the order of preparation.
      repetitions: { count: 2, order: 'sequential', instances: 1 },
      guest: { vcpus: [1, 2] },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir: suite.runDir } });
    const platform = engine.platforms.find((p) => p.id === 'docker')!;
    const seen: {
      target: string | undefined;
      info: Dockerode.ContainerInspectInfo;
      live: number;
    }[] = [];
    const original = platform.prepare.bind(platform);
    (platform as { prepare: Platform['prepare'] }).prepare = async (ctx) => {
      const session = await original(ctx);
      const mine = await suite.docker.listContainers({
        filters: { label: [`benchvisor.run=${ctx.runId}`] },
      });
      // Never in parallel: the earlier target's container is gone when the next one is up.
      const [c] = mine;
      seen.push({
        target: ctx.target,
        info: await suite.docker.getContainer(c!.Id).inspect(),
        live: mine.length,
      });
      return session;
    };
    const runner = engine.createRunner();
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    expect(samples.filter((s) => s.value === null).map((s) => s.error)).toEqual([]);

    expect(seen.map((s) => [s.target, s.info.HostConfig.NanoCpus, s.live])).toEqual([
      ['docker.1cpu', 1 * NANO, 1],
      ['docker.2cpu', 2 * NANO, 1],
    ]);
    expect(seen[0]!.info.Name).not.toBe(seen[1]!.info.Name);
    expect(samples.map((s) => [s.target, s.meta.vcpus])).toEqual([
      ['docker.1cpu', 1],
      ['docker.1cpu', 1],
      ['docker.2cpu', 2],
      ['docker.2cpu', 2],
    ]);
    for (const s of samples) {
      // The default disk target is the run's scratch area (the same host filesystem as native).
      expect(s.meta).toMatchObject({ memoryMiB: 512, network: 'host', diskOn: 'scratch' });
      expect(s.meta.cpus).toBe(s.meta.vcpus); // docker inspect's figure, recorded by the session
    }
    for (const t of ['docker.1cpu', 'docker.2cpu'])
      expect(existsSync(join(fin.dir, 'consoles', `${t}.log`))).toBe(true);
    // The payload image is shared: the second target reuses it.
    const log = readFileSync(join(fin.dir, 'run.log.ndjson'), 'utf8');
    expect(log.match(/reusing docker image/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    const firstOf = (t: string) => samples.find((s) => s.target === t)!.meta;
    expect(firstOf('docker.2cpu').imageBuilt).toBe(false);
    // Each target's preparation is measured: the container's start fits inside its wall time.
    for (const t of ['docker.1cpu', 'docker.2cpu']) {
      const m = firstOf(t) as Record<string, number>;
      expect(m.containerStartMs).toBeGreaterThan(0);
      expect(m.prepareMs).toBeGreaterThanOrEqual(m.containerStartMs! + m.imageMs! - 2);
    }
    // Nothing of this run is left.
    expect(await listOwned(suite.docker, fin.runId)).toEqual({ containers: [], volumes: [] });
  }, 300_000);

  it('two targets live at once keep their own scratch folders (issue #21 bug 3)', async () => {
    const parsed = parseExperimentConfig({
      platforms: ['docker'],
      benchmarks: ['diskwrite'],
      profile: 'quick',
      guest: { vcpus: [1, 2] },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir: suite.runDir } });
    const platform = engine.platforms.find((p) => p.id === 'docker')!;
    const runId = `scratch-${process.pid}-${Date.now().toString(36)}`;
    const runDir = join(suite.runDir, runId);
    const context = (target: string) => ({
      runId,
      target,
      config: parsed.config,
      runDir,
      console: { data: () => {} },
      log: () => {},
      signal: new AbortController().signal,
    });
    const first = await platform.prepare(context('docker.1cpu'));
    let second: Awaited<ReturnType<Platform['prepare']>> | null = null;
    try {
      second = await platform.prepare(context('docker.2cpu'));
      const sources = async () =>
        (
          await suite.docker.listContainers({ filters: { label: [`benchvisor.run=${runId}`] } })
        ).map((c) => c.Mounts.find((m) => m.Destination === '/data')?.Source);
      const mounted = await sources();
      expect(mounted.sort()).toEqual([
        join(runDir, 'scratch', 'docker.1cpu'),
        join(runDir, 'scratch', 'docker.2cpu'),
      ]);
      // Disposing one container leaves the other's disk target in place.
      await first.dispose();
      expect(existsSync(join(runDir, 'scratch', 'docker.2cpu', 'disk-target.bin'))).toBe(true);
      expect(existsSync(join(runDir, 'scratch', 'docker.1cpu'))).toBe(false);
    } finally {
      await first.dispose().catch(() => {});
      await second?.dispose();
    }
    expect(await listOwned(suite.docker, runId)).toEqual({ containers: [], volumes: [] });
  }, 300_000);
});
