/**
 * run:more through the API service with a fake engine: the request is validated at the boundary,
 * the extension is announced as run:started of the same run with `more`, it is the active run
 * until it finishes (a second start is BUSY), and the engine's refusal comes back as the error.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/api/dispatch';
import { ApiService } from '../../src/main/api/service';
import type { EventName } from '../../src/shared/api';
import { NATIVE_CONFIG, fakeDeps } from './fakeDeps';

describe('run:more', () => {
  it('appends to the same run, announced with how many more; refusals come back as errors', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps);
    const events: { event: EventName; payload: unknown }[] = [];
    const { handlers } = service.connect(
      { send: (event, payload) => events.push({ event, payload }) },
      'websocket',
    );
    // The boundary: a count outside 1–1000 or a missing run id never reaches the engine.
    for (const bad of [
      { runId: 'run-1', repetitions: 0 },
      { runId: 'run-1', repetitions: 1001 },
      { repetitions: 3 },
    ]) {
      const r = await dispatch(handlers, 'run:more', bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await handlers['run:more']({ runId: 'nope', repetitions: 2 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no run "nope"' },
    });

    const started = await handlers['run:start']({ config: NATIVE_CONFIG });
    if (!started.ok) throw new Error(started.error.message);
    const runId = started.value.runId;
    deps.runs[0]!.observer.finished({
      runId,
      status: 'completed',
      dir: '/x',
      failed: 0,
      measured: 1,
    });

    const more = await handlers['run:more']({ runId, repetitions: 2 });
    expect(more).toMatchObject({ ok: true, value: { runId } });
    const announced = events.filter((e) => e.event === 'run:started').at(-1)?.payload;
    expect(announced).toMatchObject({ runId, more: 2, platforms: ['native'] });
    expect(service.activeRunId).toBe(runId);
    expect(await handlers['run:start']({ config: NATIVE_CONFIG })).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    deps.runs[1]!.observer.finished({
      runId,
      status: 'completed',
      dir: '/x',
      failed: 0,
      measured: 2,
    });
    expect(service.activeRunId).toBeNull();
  });
});
