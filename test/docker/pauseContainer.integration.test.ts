/**
 * Pausing a real container (issue 19, idle targets do not compete): docker pause freezes it
 * (`docker inspect` State.Paused), unpause lets the next repetition run, and a container
 * disposed while paused is removed with nothing labelled for the run left behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { createDockerPlatform, listOwned } from '../../src/main/platforms/docker';
import type { DockerSession } from '../../src/main/platforms/docker/dockerSession';
import { ProcessTracker } from '../../src/main/process/tracker';
import {
  BENCH_BIN_DIR,
  ensureBenchBuilt,
  requireDaemon,
  SKIP_DOCKER,
  skipWhenDockerOptedOut,
} from './dockerEnv';

const runId = `test-pause-${process.pid}-${Date.now().toString(36)}`;

describe('docker pause and unpause (real daemon)', () => {
  let docker: Dockerode;
  let runDir: string;
  const tracker = new ProcessTracker();

  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
    await ensureBenchBuilt();
    runDir = await mkdtemp(join(tmpdir(), 'bv-docker-pause-'));
  });
  afterAll(async () => {
    if (SKIP_DOCKER) return;
    await tracker.killAll();
    await rm(runDir, { recursive: true, force: true });
  });

  it('paused while idle, running while measuring, removed while paused', async () => {
    const parsed = parseExperimentConfig({ platforms: ['docker'], benchmarks: ['syscall'] });
    if (!parsed.ok) throw new Error(parsed.message);
    const platform = createDockerPlatform({
      paths: { benchBinDir: BENCH_BIN_DIR },
      tracker,
      docker,
    });
    const session = (await platform.prepare({
      runId,
      target: platform.id,
      config: parsed.config,
      runDir,
      console: { data: () => {} },
      log: () => {},
      signal: new AbortController().signal,
    })) as DockerSession;
    const state = async () => (await docker.getContainer(session.containerId).inspect()).State;
    try {
      await session.pause();
      expect((await state()).Paused).toBe(true);
      expect((await state()).Running).toBe(true);
      await session.resume();
      expect((await state()).Paused).toBe(false);
      const r = await session.exec({
        binary: 'syscall',
        args: ['--count', '1000'],
        timeoutMs: 60_000,
      });
      expect(r.failure).toBeUndefined();
      expect(r.exitCode).toBe(0);
      await session.pause();
      expect((await state()).Paused).toBe(true);
    } finally {
      await session.dispose();
    }
    const left = await listOwned(docker, runId);
    expect([...left.containers, ...left.volumes]).toEqual([]);
    expect(tracker.size).toBe(0);
  });
});
