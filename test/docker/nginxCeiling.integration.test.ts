/**
 * The nginx benchmark through the whole engine, natively and in a container (real nginx, real
 * daemon, our load client): every sample carries the client's ceiling, measured once per run
 * against the host's nginx before the first nginx repetition, and both sides' CPU.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { locateNginx } from '../../src/main/benchmarks/nginx/nginxService';
import { createEngine } from '../../src/main/composition';
import { readSamples } from '../../src/main/store/runStore';
import { listOwned } from '../../src/main/platforms/docker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { parseExperimentConfig } from '../../src/shared/config';
import { skipUnless } from '../support/skip';
import { ensureBenchBuilt, requireDaemon, SKIP_DOCKER, skipWhenDockerOptedOut } from './dockerEnv';

describe('nginx with the load client ceiling (native + docker, real)', () => {
  let runsDir = '';
  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    await requireDaemon();
    await ensureBenchBuilt();
    runsDir = await mkdtemp(join(tmpdir(), 'benchvisor-nginx-ceiling-'));
  });
  afterAll(async () => {
    if (runsDir) await rm(runsDir, { recursive: true, force: true });
  });

  it('records the same measured ceiling and the CPU of both sides in every nginx sample', async (ctx) => {
    skipUnless(ctx, locateNginx(), 'nginx is not installed here (apt-get install nginx-light)');
    const docker = await requireDaemon();
    const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir } });
    const parsed = parseExperimentConfig({
      platforms: ['native', 'docker'],
      benchmarks: ['nginx'],
      profile: 'quick',
      repetitions: { count: 2, warmup: 0 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await engine.createRunner().start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    expect(samples.filter((s) => s.value === null).map((s) => s.error)).toEqual([]);
    expect(samples.map((s) => s.platform).sort()).toEqual(['docker', 'docker', 'native', 'native']);
    const ceilings = samples.map((s) => s.meta.loadCeiling as { mbps: number; reps: number });
    // one measurement per run (same parameters): every sample carries the same figures
    for (const c of ceilings) {
      expect(c).toMatchObject({
        mbps: expect.any(Number),
        reps: 3,
        server: 'host nginx on loopback',
      });
      expect(c.mbps).toBeGreaterThan(0);
      expect(c).toEqual(ceilings[0]);
    }
    for (const s of samples) {
      const cpu = s.meta.loadCpu as { clientPercent: number; serverPercent: number | null };
      expect(cpu.clientPercent).toBeGreaterThanOrEqual(0);
      // the server side was found: native nginx below us, the container's nginx by its cgroup
      expect(typeof cpu.serverPercent, s.platform).toBe('number');
      expect(s.meta.loadClient).toBe('httpload');
    }
    expect(await listOwned(docker, started.value.runId)).toEqual({ containers: [], volumes: [] });
    expect(engine.tracker.size).toBe(0);
  });
});
