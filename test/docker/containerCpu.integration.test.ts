/**
 * The host CPU sampler on a real container (host/hostCpuSampler.ts): a process that runs inside
 * the run's container while the sampler reads /proc is the run's own CPU when the scope names the
 * container, and "another process" when it does not (the control, read over the same interval,
 * which shows the check can fail). The busy process is alive at both readings, so it is seen by
 * pid, not only through its parent's reaped time.
 */
import { describe, expect, it } from 'vitest';
import { createHostCpuSampler } from '../../src/main/host/hostCpuSampler';
import { dockerSuite } from './dockerEnv';

const runId = `test-cpu-${process.pid}-${Date.now().toString(36)}`;
/** How long the busy loop runs between the two readings (a loaded 2-CPU host still gives it far more than the 1% top-others floor). */
const BUSY_WINDOW_MS = 1500;

describe('host CPU sampler and a real container', () => {
  const suite = dockerSuite('bv-docker-cpu-');

  it("counts the container's processes as the run's, by cgroup, and only when the scope names the container", async () => {
    const session = await suite.syscallSession(runId);
    const { docker } = suite;
    try {
      const container = docker.getContainer(session.containerId);
      const sampler = createHostCpuSampler();
      const scoped = sampler.begin({ containerId: session.containerId });
      const control = sampler.begin({});
      const exec = await container.exec({
        Cmd: ['/bin/busybox', 'sh', '-c', 'while :; do :; done'],
        AttachStdout: false,
        AttachStderr: false,
      });
      await exec.start({ Detach: true });
      await new Promise((r) => setTimeout(r, BUSY_WINDOW_MS));
      const busyPid = (await exec.inspect()).Pid;
      const withScope = scoped.end();
      const withoutScope = control.end();
      expect(busyPid).toBeGreaterThan(0);
      expect(withoutScope!.topOthers.map((o) => o.pid)).toContain(busyPid);
      expect(withScope!.topOthers.map((o) => o.pid)).not.toContain(busyPid);
    } finally {
      await session.dispose();
    }
    await suite.expectNothingLeft(runId);
  });
});
