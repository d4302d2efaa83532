/**
 * Issue #23 item 10: what a SIGKILLed run left in Docker (labelled with its dead pid) is swept
 * when the app or `serve` starts (serviceForEngine), not only before the next run. The orphan
 * here is a labelled volume (no image needed); containers go through the same sweep.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceForEngine } from '../../src/main/api/appService';
import { createEngine } from '../../src/main/composition';
import { resourceLabels } from '../../src/main/platforms/docker/labels';
import { SKIP_DOCKER, requireDaemon, skipWhenDockerOptedOut } from './dockerEnv';

describe('orphans of a killed run are swept when serve starts', () => {
  let docker: Dockerode;
  const root = mkdtempSync(join(tmpdir(), 'bv-sweep-start-'));
  const name = `benchvisor-sweep-at-start-${process.pid}-data`;

  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    if (!SKIP_DOCKER)
      await docker
        .getVolume(name)
        .remove()
        .catch(() => undefined);
  });

  it('a volume labelled with a dead pid is gone soon after the service starts', async (ctx) => {
    skipWhenDockerOptedOut(ctx);
    // A pid that has certainly exited: a finished child's.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await docker.createVolume({
      Name: name,
      Labels: resourceLabels({ runId: 'sweep-at-start', hostname: hostname(), pid: dead }),
    });
    const engine = createEngine({
      env: {
        ...process.env,
        BENCHVISOR_RUNS: join(root, 'runs'),
        BENCHVISOR_DATA: join(root, 'data'),
      },
    });
    const app = serviceForEngine(engine);
    try {
      const gone = async (): Promise<boolean> =>
        !(await docker.listVolumes()).Volumes?.some((v) => v.Name === name);
      let swept = false;
      for (let i = 0; i < 200 && !swept; i++) {
        swept = await gone();
        if (!swept) await new Promise((r) => setTimeout(r, 100));
      }
      expect(swept).toBe(true);
      expect((await engine.sweepOrphans()).join('\n')).toContain(`docker: removed ${name}`);
    } finally {
      await app.dispose();
    }
  });
});
