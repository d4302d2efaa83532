/**
 * The renderer's lab hosts: where the next run goes (this machine only until a host is chosen;
 * only hosts whose last check passed stay chosen), and the live run's banner for a host's
 * connection news. A fake API answers; no DOM needed.
 */
import { describe, expect, it } from 'vitest';
import type { BenchvisorApi, EventName } from '../../src/shared/api';
import type { HostEntry } from '../../src/shared/hosts';
import { createHostsStore } from '../../src/renderer/src/stores/hostsStore';
import { createLiveRunStore } from '../../src/renderer/src/stores/liveRunStore';

function fakeApi(entries: HostEntry[]) {
  const listeners = new Map<string, ((p: unknown) => void)[]>();
  const calls: { channel: string; request: unknown }[] = [];
  const api = {
    call: async (channel: string, request: unknown) => {
      calls.push({ channel, request });
      if (channel === 'hosts:list') return { ok: true, value: entries };
      if (channel === 'run:start') return { ok: true, value: { runId: 'places-1', dir: '/r' } };
      if (channel === 'run:active')
        return { ok: true, value: { runId: 'places-2', name: 'cpu · lab2', platforms: [] } };
      return { ok: true, value: {} };
    },
    on: (event: string, l: (p: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return () => undefined;
    },
  } as unknown as BenchvisorApi;
  const emit = (event: EventName, payload: unknown) =>
    (listeners.get(event) ?? []).forEach((l) => l(payload));
  return { api, calls, emit };
}

const checked = (name: string, ok: boolean): HostEntry => ({
  host: { name, destination: name },
  check: { name, checkedAt: '2026-01-01T00:00:00Z', ok },
});

describe('hosts store', () => {
  it('runs here until a host is chosen; keeps only hosts whose check passed', async () => {
    const entries = [checked('lab1', true), checked('lab2', false)];
    const { api } = fakeApi(entries);
    const hosts = createHostsStore(api);
    await hosts.getState().load();
    expect(hosts.getState().where()).toBeUndefined();
    hosts.getState().toggleHost('lab1');
    hosts.getState().toggleHost('lab2');
    expect(hosts.getState().where()).toEqual({ local: true, hosts: ['lab1', 'lab2'] });
    hosts.getState().setHere(false);
    await hosts.getState().load(); // lab2 failed its check: no longer chosen
    expect(hosts.getState().where()).toEqual({ local: false, hosts: ['lab1'] });
  });

  it('sends the places with run:start and shows a host’s connection news', async () => {
    const { api, calls, emit } = fakeApi([]);
    const run = createLiveRunStore(api);
    await run
      .getState()
      .start({ platforms: ['native'], benchmarks: ['linpack'] }, ['native'], null, {
        local: false,
        hosts: ['lab1'],
      });
    expect(calls.find((c) => c.channel === 'run:start')?.request).toMatchObject({
      where: { local: false, hosts: ['lab1'] },
    });
    // The run view names it for people, not by its id.
    emit('run:started', {
      runId: 'places-1',
      dir: '/r',
      name: 'cpu · lab1',
      platforms: ['native'],
    });
    expect(run.getState().name).toBe('cpu · lab1');
    const log = (message: string) =>
      emit('run:log', { runId: 'places-1', level: 'warn', message, at: 'now' });
    log('this machine: the host is busy');
    expect(run.getState().connection).toBeNull();
    log('lab1: connection lost, the run goes on there; re-attaching…');
    expect(run.getState().connection).toContain('connection lost');
    log('lab1: reconnected, re-attached to its run');
    expect(run.getState().connection).toContain('reconnected');
  });

  it('a run over places followed after a reload keeps its name', async () => {
    const { api } = fakeApi([]);
    const run = createLiveRunStore(api);
    await run.getState().attach();
    expect(run.getState()).toMatchObject({ runId: 'places-2', name: 'cpu · lab2' });
  });
});
