import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/api/dispatch';
import { ApiService } from '../../src/main/api/service';
import type { EventName } from '../../src/shared/api';
import { NATIVE_CONFIG, fakeDeps } from './fakeDeps';

function recorder(): {
  events: { event: EventName; payload: unknown }[];
  send(e: EventName, p: unknown): void;
} {
  const events: { event: EventName; payload: unknown }[] = [];
  return { events, send: (event, payload) => events.push({ event, payload }) };
}

const FAST_FLOW = {
  batchIntervalMs: 0,
  batchMaxBytes: 1024,
  highWatermark: 4096,
  lowWatermark: 1024,
};

describe('dispatch (the boundary)', () => {
  const service = new ApiService(fakeDeps());
  const { handlers } = service.connect(recorder(), 'websocket');

  it('rejects an unknown channel', async () => {
    const r = await dispatch(handlers, 'fs:read', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!r.ok) expect(r.error.message).toContain('unknown API channel "fs:read"');
  });

  it('rejects a request that does not match the schema, naming the field', async () => {
    const r = await dispatch(handlers, 'runs:get', { runId: 42 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/runId/);
    const extra = await dispatch(handlers, 'app:info', { sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('answers a valid call with a result envelope', async () => {
    const r = await dispatch(handlers, 'app:info', {});
    expect(r).toMatchObject({ ok: true, value: { version: '9.9.9', transport: 'websocket' } });
  });
});

describe('ApiService', () => {
  it('validates configs with a message naming the field', async () => {
    const service = new ApiService(fakeDeps());
    const { handlers } = service.connect(recorder(), 'ipc');
    const bad = await handlers['experiment:validate']({
      config: { platforms: [], benchmarks: ['linpack'] },
    });
    expect(bad).toMatchObject({ ok: true, value: { valid: false } });
    if (bad.ok) expect(bad.value.message).toContain('platforms');
    const start = await handlers['run:start']({
      config: { platforms: ['native'], benchmarks: ['nope'] },
    });
    expect(start).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
  });

  it('starts one run at a time, broadcasts events, routes input and cancel', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, { flow: FAST_FLOW });
    const a = recorder();
    const b = recorder();
    const ca = service.connect(a, 'websocket');
    service.connect(b, 'websocket');
    const started = await ca.handlers['run:start']({ config: NATIVE_CONFIG });
    expect(started).toMatchObject({ ok: true, value: { runId: 'run-1' } });
    expect(await ca.handlers['run:start']({ config: NATIVE_CONFIG })).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    expect(b.events.map((e) => e.event)).toContain('run:started');
    expect(await ca.handlers['run:active']({})).toMatchObject({
      ok: true,
      value: { runId: 'run-1', platforms: ['native'] },
    });

    const run = deps.runs[0]!;
    run.observer.log({ runId: 'run-1', level: 'info', message: 'hello', at: 'now' });
    expect(b.events.some((e) => e.event === 'run:log')).toBe(true);

    expect(
      await ca.handlers['console:write']({ runId: 'run-1', platform: 'native', data: 'q' }),
    ).toMatchObject({
      ok: true,
      value: { written: true },
    });
    expect(run.writes).toEqual([{ platform: 'native', data: 'q' }]);
    expect(
      await ca.handlers['console:write']({ runId: 'other', platform: 'native', data: 'q' }),
    ).toMatchObject({
      value: { written: false },
    });

    expect(await ca.handlers['run:cancel']({ runId: 'run-1' })).toMatchObject({
      value: { cancelled: true },
    });
    expect(run.cancelled).toBe(true);
    run.observer.finished({
      runId: 'run-1',
      status: 'cancelled',
      dir: '/x',
      failed: 0,
      measured: 0,
    });
    expect(await ca.handlers['run:active']({})).toMatchObject({ value: { runId: null } });
    expect(await ca.handlers['run:start']({ config: NATIVE_CONFIG })).toMatchObject({ ok: true });
  });

  it('delivers console output to every client with its own flow control, and history resets it', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, { flow: FAST_FLOW });
    const a = recorder();
    const ca = service.connect(a, 'websocket');
    await ca.handlers['run:start']({ config: NATIVE_CONFIG });
    const run = deps.runs[0]!;
    run.observer.console('native', 'hello ');
    run.observer.console('native', 'world');
    await new Promise((r) => setTimeout(r, 5));
    const data = a.events
      .filter((e) => e.event === 'console:data')
      .map((e) => e.payload as { data: string; offset: number });
    expect(data.map((d) => d.data).join('')).toBe('hello world');
    expect(data.at(-1)!.offset).toBe(11);

    // A client connecting later rebuilds its terminal from the history, then gets only new data.
    const late = recorder();
    const cl = service.connect(late, 'websocket');
    const hist = await cl.handlers['console:history']({ runId: 'run-1', platform: 'native' });
    expect(hist).toMatchObject({ ok: true, value: { data: 'hello world', offset: 11 } });
    run.observer.console('native', '!');
    await new Promise((r) => setTimeout(r, 5));
    const lateData = late.events.filter((e) => e.event === 'console:data').map((e) => e.payload);
    expect(lateData).toEqual([{ runId: 'run-1', platform: 'native', data: '!', offset: 12 }]);
  });

  it("passes the engine's own offsets through (never recounted) and its acks back to it", async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, { flow: FAST_FLOW });
    const a = recorder();
    const ca = service.connect(a, 'websocket');
    let sink: Parameters<typeof deps.engine.start>[1] | null = null;
    const start = deps.engine.start.bind(deps.engine);
    deps.engine.start = (config, events) => {
      sink = events;
      return start(config, events);
    };
    await ca.handlers['run:start']({ config: NATIVE_CONFIG });
    // An engine that counts differently from here (e.g. a remote one that joined mid-stream):
    // the chunk says where it ends, and that is what clients see and acknowledge.
    sink!({
      event: 'console:data',
      payload: { runId: 'run-1', platform: 'native', data: 'é!', offset: 1000 },
    });
    await new Promise((r) => setTimeout(r, 5));
    const data = a.events.filter((e) => e.event === 'console:data').map((e) => e.payload);
    expect(data).toEqual([{ runId: 'run-1', platform: 'native', data: 'é!', offset: 1000 }]);
    const hist = await ca.handlers['console:history']({ runId: 'run-1', platform: 'native' });
    expect(hist).toMatchObject({ ok: true, value: { offset: 1000 } });
    await ca.handlers['console:ack']({ runId: 'run-1', platform: 'native', offset: 1000 });
    expect(deps.runs[0]!.acks).toEqual([{ stream: 'native', offset: 1000 }]);
  });

  it('keeps each target’s console stream apart (a run with variants)', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, { flow: FAST_FLOW });
    const a = recorder();
    const ca = service.connect(a, 'websocket');
    await ca.handlers['run:start']({ config: NATIVE_CONFIG });
    const run = deps.runs[0]!;
    run.observer.console('qemu-tcg', 'raw boot', 'qemu-tcg.raw');
    run.observer.console('qemu-tcg', 'qcow2 boot', 'qemu-tcg.qcow2');
    await new Promise((r) => setTimeout(r, 5));
    const data = a.events.filter((e) => e.event === 'console:data').map((e) => e.payload);
    expect(data).toEqual([
      { runId: 'run-1', platform: 'qemu-tcg', target: 'qemu-tcg.raw', data: 'raw boot', offset: 8 },
      {
        runId: 'run-1',
        platform: 'qemu-tcg',
        target: 'qemu-tcg.qcow2',
        data: 'qcow2 boot',
        offset: 10,
      },
    ]);
    const hist = await ca.handlers['console:history']({
      runId: 'run-1',
      platform: 'qemu-tcg',
      target: 'qemu-tcg.qcow2',
    });
    expect(hist).toMatchObject({ ok: true, value: { data: 'qcow2 boot', offset: 10 } });
  });

  it('an unacknowledging client is paused, an acknowledging one is not', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, {
      flow: { batchIntervalMs: 0, batchMaxBytes: 100, highWatermark: 200, lowWatermark: 50 },
    });
    const slow = recorder();
    const fast = recorder();
    service.connect(slow, 'websocket');
    const cf = service.connect(fast, 'websocket');
    await cf.handlers['run:start']({ config: NATIVE_CONFIG });
    const run = deps.runs[0]!;
    for (let i = 0; i < 10; i++) {
      run.observer.console('native', 'y'.repeat(100));
      const last = fast.events.filter((e) => e.event === 'console:data').at(-1)?.payload as
        { offset: number } | undefined;
      if (last)
        await cf.handlers['console:ack']({
          runId: 'run-1',
          platform: 'native',
          offset: last.offset,
        });
    }
    const bytes = (r: ReturnType<typeof recorder>): number =>
      r.events
        .filter((e) => e.event === 'console:data')
        .reduce((n, e) => n + (e.payload as { data: string }).data.length, 0);
    expect(bytes(fast)).toBe(1000);
    expect(bytes(slow)).toBeLessThan(1000);
    expect(bytes(slow)).toBeGreaterThanOrEqual(200);
  });

  it('runs:get returns NOT_FOUND for an unknown run', async () => {
    const service = new ApiService(fakeDeps());
    const { handlers } = service.connect(recorder(), 'ipc');
    expect(await handlers['runs:get']({ runId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('runs:delete refuses the running run, deletes a finished one, and says NOT_FOUND after', async () => {
    const deps = fakeDeps();
    const service = new ApiService(deps, { flow: FAST_FLOW });
    const { handlers } = service.connect(recorder(), 'websocket');
    const started = await handlers['run:start']({ config: NATIVE_CONFIG });
    if (!started.ok) throw new Error(started.error.message);
    expect(await handlers['runs:delete']({ runId: started.value.runId })).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    deps.items.push({
      runId: 'old-run',
      name: 'old',
      dir: '/nowhere/old-run',
      startedAt: new Date(0).toISOString(),
      status: 'completed',
      platforms: ['native'],
      benchmarks: ['linpack'],
      sampleCount: 3,
      failedCount: 0,
      imported: false,
    });
    expect(await handlers['runs:delete']({ runId: 'old-run' })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(deps.items).toHaveLength(0);
    expect(await handlers['runs:delete']({ runId: 'old-run' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
