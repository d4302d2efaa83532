/**
 * The app side of lab hosts without ssh: the hosts:* channels over a real hosts file, a run on
 * places renamed into one run (targets `<target>.on-<place>`, log lines naming the place,
 * console input routed back), progress added up across places, and the refusals as values.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/api/dispatch';
import { ApiService } from '../../src/main/api/service';
import { HostStore } from '../../src/main/hosts/hostStore';
import { hostsService, type HostsPort } from '../../src/main/hosts/hostsService';
import { ProgressSum } from '../../src/main/hosts/placeEvents';
import { placesEngine, type PlacesDeps } from '../../src/main/hosts/placesEngine';
import { THIS_MACHINE, placesRunName } from '../../src/shared/hosts';
import { ProcessTracker } from '../../src/main/process/tracker';
import { parseExperimentConfig, type ExperimentConfig } from '../../src/shared/config';
import type { RunEvent } from '../../src/main/engine/runEngine';
import type { FinishedEvent, ProgressEvent, RunListItem } from '../../src/shared/run';
import { NATIVE_CONFIG, fakeDeps } from '../app/fakeDeps';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function withHosts() {
  const dir = mkdtempSync(join(tmpdir(), 'bv-places-'));
  dirs.push(dir);
  const deps = fakeDeps();
  const hosts = hostsService({
    store: new HostStore(dir),
    link: { env: process.env, tracker: new ProcessTracker(), version: '9.9.9' },
    local: deps.engine,
    runsDir: join(dir, 'runs'),
    exportsDir: join(dir, 'exports'),
  });
  const service = new ApiService({ ...deps, hosts });
  const { handlers } = service.connect({ send: () => undefined }, 'websocket');
  return { deps, hosts, handlers };
}

function tempRuns(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bv-places-runs-'));
  dirs.push(dir);
  return dir;
}

/** A run over places whose only place is this machine (the fake engine). */
function localOnly(deps: ReturnType<typeof fakeDeps>, runsDir: string): PlacesDeps {
  return {
    local: deps.engine,
    host: () => {
      throw new Error('no hosts');
    },
    remote: {} as never,
    runsDir,
  };
}

function config(): ExperimentConfig {
  const parsed = parseExperimentConfig(NATIVE_CONFIG);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('hosts channels', () => {
  it('adds, lists and removes hosts; refuses bad input with the field named', async () => {
    const { handlers } = withHosts();
    const added = await dispatch(handlers, 'hosts:add', { name: 'lab1', destination: 'me@lab1' });
    expect(added).toMatchObject({ ok: true, value: { name: 'lab1' } });
    const twice = await dispatch(handlers, 'hosts:add', { name: 'lab1', destination: 'x' });
    expect(twice).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const option = await dispatch(handlers, 'hosts:add', { name: 'lab2', destination: '-oProxy' });
    expect(option.ok).toBe(false);
    if (!option.ok) expect(option.error.message).toMatch(/destination/);
    const list = await dispatch(handlers, 'hosts:list', {});
    expect(list).toMatchObject({ ok: true, value: [{ host: { name: 'lab1' } }] });
    const unknown = await dispatch(handlers, 'hosts:check', { name: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (!unknown.ok) expect(unknown.error.message).toContain('known: lab1');
    expect(await dispatch(handlers, 'hosts:remove', { name: 'lab1' })).toMatchObject({
      ok: true,
      value: { removed: true },
    });
    expect(await dispatch(handlers, 'hosts:list', {})).toMatchObject({ ok: true, value: [] });
  });

  it('says so when the instance has no lab hosts (an agent)', async () => {
    const service = new ApiService(fakeDeps());
    const { handlers } = service.connect({ send: () => undefined }, 'agent');
    const r = await dispatch(handlers, 'hosts:list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('refuses a run on a host it does not know, and a run on no place', async () => {
    const { handlers, deps } = withHosts();
    const r = await dispatch(handlers, 'run:start', {
      config: NATIVE_CONFIG,
      where: { local: true, hosts: ['ghost'] },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const none = await dispatch(handlers, 'run:start', {
      config: NATIVE_CONFIG,
      where: { local: false, hosts: [] },
    });
    expect(none).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(deps.runs).toHaveLength(0);
  });
});

describe('runs:delete during a run over places', () => {
  const listed = (runId: string, status: RunListItem['status']): RunListItem => ({
    runId,
    name: 'cpu',
    dir: `/nowhere/${runId}`,
    startedAt: new Date(0).toISOString(),
    status,
    platforms: ['native'],
    benchmarks: ['linpack'],
    sampleCount: 1,
    failedCount: 0,
    imported: false,
  });

  it('refuses this machine’s part while it is measured, deletes it once ended', async () => {
    const deps = fakeDeps();
    const runsDir = tempRuns();
    // A hosts port whose runs over places have this machine as their only place (no ssh).
    const hosts: HostsPort = {
      list: async () => [],
      add: async (h) => h,
      check: async () => Promise.reject(new Error('no check here')),
      remove: async () => false,
      engineFor: () => placesEngine(localOnly(deps, runsDir), { local: true, hosts: [] }),
    };
    const service = new ApiService({ ...deps, hosts });
    const { handlers } = service.connect({ send: () => undefined }, 'websocket');
    const started = await handlers['run:start']({
      config: { ...NATIVE_CONFIG, name: 'cpu' },
      where: { local: true, hosts: ['lab1'] },
    });
    if (!started.ok) throw new Error(started.error.message);
    const placesId = started.value.runId;
    expect(await dispatch(handlers, 'run:active', {})).toMatchObject({
      ok: true,
      value: { runId: placesId, name: 'cpu · this machine' },
    });
    // This machine's part is a run of its own in the history, still being written.
    const part = deps.runs[0]!.runId;
    deps.items.push(listed(part, 'running'));
    const refused = await dispatch(handlers, 'runs:delete', { runId: part });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    if (!refused.ok)
      expect(refused.error.message).toBe(
        `run ${part} (part of the run "cpu · this machine") is still being measured: wait until it has ended or cancel it, then delete it`,
      );
    expect(await dispatch(handlers, 'runs:delete', { runId: placesId })).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    // That part ended while the hosts' parts go on: deleting it works.
    deps.items[0]!.status = 'completed';
    expect(await dispatch(handlers, 'runs:delete', { runId: part })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(service.activeRunId).toBe(placesId);
  });
});

describe('placesEngine', () => {
  it('renames this machine’s run into the combined run and routes typing back', async () => {
    const deps = fakeDeps();
    const events: RunEvent[] = [];
    const runsDir = tempRuns();
    const engine = placesEngine(localOnly(deps, runsDir), { local: true, hosts: [] });
    const started = await engine.start(config(), (e) => events.push(e));
    expect(started.runId).toMatch(/^places-/);
    // Named for people while it runs, not by its id.
    expect(started.name).toBe('Untitled experiment · this machine');
    expect(started.targets).toEqual([
      { id: 'native.on-this-machine', platform: 'native', label: 'this machine · Native' },
    ]);
    const fake = deps.runs[0]!;
    fake.observer.console('native', 'hello');
    fake.observer.log({ runId: fake.runId, level: 'warn', message: 'hot', at: 'now' });
    expect(events[0]).toMatchObject({
      event: 'console:data',
      payload: { runId: started.runId, target: 'native.on-this-machine', data: 'hello' },
    });
    expect(events[1]).toMatchObject({ payload: { message: 'this machine: hot' } });
    expect(engine.write(started.runId, 'native', 'x', 'native.on-this-machine')).toBe(true);
    expect(engine.write(started.runId, 'native', 'x', 'native.on-elsewhere')).toBe(false);
    expect(fake.writes).toEqual([{ platform: 'native', data: 'x' }]);
    expect(engine.cancel(started.runId)).toBe(true);
    expect(fake.cancelled).toBe(true);
    const dir = join(runsDir, fake.runId);
    mkdirSync(dir);
    fake.observer.finished({ runId: fake.runId, status: 'cancelled', dir, failed: 0, measured: 1 });
    await new Promise((r) => setTimeout(r, 0));
    const finished = events.find((e) => e.event === 'run:finished');
    expect(finished?.payload).toMatchObject({
      runId: started.runId,
      status: 'cancelled',
      resultRunId: fake.runId,
      dir,
    });
  });

  it('ends well when a place’s run was deleted from the history before the run ended', async () => {
    const deps = fakeDeps();
    const events: RunEvent[] = [];
    const runsDir = tempRuns();
    const engine = placesEngine(localOnly(deps, runsDir), { local: true, hosts: [] });
    await engine.start(config(), (e) => events.push(e));
    const fake = deps.runs[0]!;
    // Its folder is gone (deleted through runs:delete once this place had ended).
    const dir = join(runsDir, fake.runId);
    fake.observer.finished({ runId: fake.runId, status: 'completed', dir, failed: 0, measured: 2 });
    await new Promise((r) => setTimeout(r, 0));
    const finished = events.find((e) => e.event === 'run:finished')?.payload as FinishedEvent;
    expect(finished.status).toBe('completed');
    expect(finished.resultRunId).toBeUndefined();
    expect(finished.message).toBe(
      `this machine: completed (run ${fake.runId} was deleted from the history since)`,
    );
  });
});

describe('placesRunName', () => {
  it('names the experiment and its places, this machine by its title', () => {
    expect(placesRunName('cpu study', [THIS_MACHINE, 'lab1', 'lab2'])).toBe(
      'cpu study · this machine + lab1 + lab2',
    );
    expect(placesRunName('  ', ['lab1'])).toBe('lab1');
  });
});

describe('ProgressSum', () => {
  const p = (done: number, total: number, etaMs: number | null): ProgressEvent => ({
    runId: 'r',
    done,
    total,
    etaMs,
    elapsedMs: done * 1000,
    current: { platform: 'native', benchmark: 'linpack', rep: done, warmup: false },
    perTarget: { native: { done, total } },
  });

  it('adds the places up and waits for the slowest', () => {
    const sum = new ProgressSum('all');
    sum.add('lab1', p(1, 4, 3000));
    const both = sum.add('lab2', p(3, 4, 1000));
    expect(both).toMatchObject({ runId: 'all', done: 4, total: 8, etaMs: 3000, elapsedMs: 3000 });
    expect(both.perTarget).toEqual({
      'native.on-lab1': { done: 1, total: 4 },
      'native.on-lab2': { done: 3, total: 4 },
    });
    expect(both.current?.target).toBe('native.on-lab2');
    expect(sum.add('lab1', p(2, 4, null)).etaMs).toBeNull();
  });
});
