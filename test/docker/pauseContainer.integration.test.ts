/**
 * Pausing a real container (issue 19, idle targets do not compete): docker pause freezes it
 * (`docker inspect` State.Paused), unpause lets the next repetition run, and a container
 * disposed while paused is removed with nothing labelled for the run left behind.
 */
import { describe, expect, it } from 'vitest';
import { dockerSuite } from './dockerEnv';

const runId = `test-pause-${process.pid}-${Date.now().toString(36)}`;

describe('docker pause and unpause (real daemon)', () => {
  const suite = dockerSuite('bv-docker-pause-');

  it('paused while idle, running while measuring, removed while paused', async () => {
    const session = await suite.syscallSession(runId);
    const { docker } = suite;
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
    await suite.expectNothingLeft(runId);
  });
});
