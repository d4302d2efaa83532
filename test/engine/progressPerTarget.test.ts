import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../src/main/run/progress';
import { ProgressEventSchema } from '../../src/shared/run';

describe('progress per target', () => {
  it('counts two targets of one platform apart', () => {
    const p = new ProgressTracker();
    p.add('qemu-tcg.raw', 'linpack', 3);
    p.add('qemu-tcg.qcow2', 'linpack', 3);
    p.add('native', 'linpack', 2);
    p.repDone('qemu-tcg.raw', 'linpack', 10);
    p.repDone('qemu-tcg.raw', 'linpack', 10);
    p.repDone('native', 'linpack', 5);
    p.finishCell('native', 'linpack');
    expect(p.perTarget()).toEqual({
      'qemu-tcg.raw': { done: 2, total: 3 },
      'qemu-tcg.qcow2': { done: 0, total: 3 },
      native: { done: 1, total: 1 },
    });
    expect([p.done, p.total]).toEqual([3, 7]);
  });

  it('reads an event from before the rename (perPlatform) as per target', () => {
    const event = {
      runId: 'r',
      done: 1,
      total: 2,
      etaMs: null,
      elapsedMs: 5,
      current: null,
    };
    const old = ProgressEventSchema.parse({
      ...event,
      perPlatform: { native: { done: 1, total: 2 } },
    });
    expect(old.perTarget).toEqual({ native: { done: 1, total: 2 } });
    expect(old).not.toHaveProperty('perPlatform');
    const now = ProgressEventSchema.parse({
      ...event,
      perTarget: { docker: { done: 0, total: 2 } },
    });
    expect(now.perTarget).toEqual({ docker: { done: 0, total: 2 } });
    expect(ProgressEventSchema.safeParse(event).success).toBe(false);
  });
});
