/**
 * A run on three places through the app's own API service (the one the desktop app and web mode
 * use) and two real sshds: this machine, lab1 and lab2 in parallel as one run whose consoles are
 * "<place> · Native"; lab1's local ssh is killed mid-run and the run view's log says so while the
 * run goes on there; when all have ended, the hosts' runs are in the local history with their
 * host, and run:finished names one comparison by host over the three. The run is named for people
 * while it runs; this machine's part is refused deletion while it is measured, deleted once ended.
 * Nothing left behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceForEngine, type AppService } from '../../src/main/api/appService';
import type { ApiConnection } from '../../src/main/api/service';
import { createEngine } from '../../src/main/composition';
import type { EventName } from '../../src/shared/api';
import type { FinishedEvent, LogEvent } from '../../src/shared/run';
import { builtCli } from '../support/builtApp';
import { localEnv } from '../support/hostsCli';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { processesMatching, tempDir } from '../engine/helpers';

const tmp = tempDir('places-run');
const clientDir = join(tmp.dir, 'client');
const localData = join(tmp.dir, 'local');
const sshds: TestSshd[] = [];
let app: AppService;
let conn: ApiConnection;
const events: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  for (const name of ['lab1', 'lab2'])
    sshds.push(await startSshd(name, join(tmp.dir, name), clientDir));
  app = serviceForEngine(createEngine({ env: localEnv(localData, clientDir) }));
  conn = app.service.connect({ send: (event, payload) => events.push({ event, payload }) }, 'ipc');
  for (const s of sshds) {
    const added = await conn.handlers['hosts:add']({
      name: s.name,
      destination: s.name,
      command: remoteCommandFor(builtCli(), s.remoteData),
    });
    expect(added.ok).toBe(true);
  }
});

afterAll(async () => {
  conn?.close();
  await app?.dispose();
  for (const s of sshds) await s.stop();
  tmp.cleanup();
});

const of = <T>(name: EventName): T[] =>
  events.filter((e) => e.event === name).map((e) => e.payload as T);

it('runs here, on lab1 and on lab2 as one run, survives a dropped ssh, ends as one comparison', async () => {
  const started = await conn.handlers['run:start']({
    config: {
      name: 'three places',
      platforms: ['native'],
      profile: 'quick',
      benchmarks: [{ id: 'linpack', params: { seconds: 3 } }],
      repetitions: { count: 2, warmup: 0 },
    },
    where: { local: true, hosts: ['lab1', 'lab2'] },
  });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  if (!started.ok) return;
  const runId = started.value.runId;
  const active = await conn.handlers['run:active']({});
  expect(active.ok && active.value.targets?.map((t) => t.label)).toEqual([
    'this machine · Native',
    'lab1 · Native',
    'lab2 · Native',
  ]);
  // Named for people while it runs, not by its places-<id>.
  const name = 'three places · this machine + lab1 + lab2';
  expect(active.ok && active.value.name).toBe(name);
  expect(of<{ runId: string; name: string }>('run:started')).toEqual([
    expect.objectContaining({ runId, name }),
  ]);
  // This machine's part is a run of its own in the history: not deleted while it is measured.
  const listed = await conn.handlers['runs:list']({});
  const here = listed.ok ? listed.value.filter((i) => i.status === 'running') : [];
  expect(here).toHaveLength(1);
  const refused = await conn.handlers['runs:delete']({ runId: here[0]!.runId });
  expect(refused.ok).toBe(false);
  if (!refused.ok) {
    expect(refused.error.code).toBe('BUSY');
    expect(refused.error.message).toContain(`part of the run "${name}"`);
  }

  // lab1's console is live here; then its local ssh dies while the run goes on there.
  await expect
    .poll(
      () => of<{ target?: string }>('console:data').some((c) => c.target === 'native.on-lab1'),
      {
        timeout: 180_000,
      },
    )
    .toBe(true);
  const lab1Ssh = processesMatching(join(clientDir, 'config')).filter((pid) =>
    processesMatching(sshds[0]!.remoteData).includes(pid),
  );
  expect(lab1Ssh.length).toBeGreaterThan(0);
  for (const pid of lab1Ssh) process.kill(pid, 'SIGKILL');

  await expect
    .poll(() => of<FinishedEvent>('run:finished').find((f) => f.runId === runId), {
      timeout: 300_000,
      interval: 1000,
    })
    .toBeTruthy();
  const finished = of<FinishedEvent>('run:finished').find((f) => f.runId === runId)!;
  const logs = of<LogEvent>('run:log').map((l) => l.message);
  expect(logs).toContain('lab1: connection lost, the run goes on there; re-attaching…');
  expect(logs).toContain('lab1: reconnected, re-attached to its run');
  expect(finished.status, finished.message).toBe('completed');
  expect(finished.message).toMatch(/lab1: completed \(in the history as \S+\)/);
  expect(finished.resultRunId).toBeTruthy();

  // One comparison by host over the three places, two samples each.
  const combined = await conn.handlers['runs:get']({ runId: finished.resultRunId! });
  expect(combined.ok).toBe(true);
  if (!combined.ok) return;
  expect(combined.value.item.host).toBe('this machine, lab1, lab2');
  const targets = combined.value.samples.map((s) => s.target);
  for (const t of ['native.on-this-machine', 'native.on-lab1', 'native.on-lab2'])
    expect(targets.filter((x) => x === t)).toHaveLength(2);
  // Each host's own run came home with its host named.
  const list = await conn.handlers['runs:list']({});
  const hosts = list.ok ? list.value.map((i) => i.host) : [];
  expect(hosts).toEqual(expect.arrayContaining(['lab1', 'lab2']));

  // Once ended, this machine's part can be deleted (the comparison by host stays).
  expect(await conn.handlers['runs:delete']({ runId: here[0]!.runId })).toEqual({
    ok: true,
    value: { deleted: true },
  });
  expect((await conn.handlers['runs:get']({ runId: finished.resultRunId! })).ok).toBe(true);

  // Nothing left: no engine at either host, no ssh, no bundle on either side.
  for (const s of sshds) {
    await expect
      .poll(() => existsSync(join(s.remoteData, 'agent', 'engine.pid')), { timeout: 30_000 })
      .toBe(false);
    expect(readdirSync(join(s.remoteData, 'exports'))).toEqual([]);
  }
  expect(processesMatching(join(clientDir, 'config'))).toEqual([]);
  expect(app.engine.tracker.size).toBe(0);
}, 600_000);
