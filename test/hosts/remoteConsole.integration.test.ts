/**
 * A native + QEMU TCG run on a host through a real sshd, driven through the app's own API
 * service (run:start with `where`, console:write, run:cancel — what the run view sends): the
 * guest's serial console streams home, typing reaches the guest's shell at the host (over the
 * agent's console:write), Ctrl-C typed here interrupts a `sleep 100` in that shell, cancel
 * reaches the host, and the cancelled run is copied home with the host recorded and the typed
 * lines in its console transcript; no QEMU, engine or ssh is left on either side.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceForEngine, type AppService } from '../../src/main/api/appService';
import type { ApiConnection } from '../../src/main/api/service';
import { createEngine } from '../../src/main/composition';
import type { ConsoleDataEvent, FinishedEvent, LogEvent } from '../../src/shared/run';
import { builtCli } from '../support/builtApp';
import { localEnv } from '../support/hostsCli';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { processesMatching, tempDir } from '../engine/helpers';

const tmp = tempDir('remote-console');
const clientDir = join(tmp.dir, 'client');
const localData = join(tmp.dir, 'local');
/** The guest's console stream in the run over places (`<target>.on-<host>`). */
const GUEST = 'qemu-tcg.on-lab1';
const CTRL_C = '\x03';
/** Far below the 100 s sleep: the prompt must come back because of Ctrl-C, not the timer. */
const PROMPT_BACK_MS = 40_000;
/** How long teardown waits for a failed test's run to end at the host once cancelled. */
const TEARDOWN_WAIT_MS = 180_000;
let sshd: TestSshd;
let app: AppService;
let conn: ApiConnection;
let guestText = '';
const finished: FinishedEvent[] = [];
/** News about lab1's connection (there should be none: nothing drops in this test). */
const CONNECTION_NEWS = /^lab1: (connection lost|not reachable)/;
const warnings: string[] = [];

beforeAll(async () => {
  sshd = await startSshd('lab1', join(tmp.dir, 'lab1'), clientDir);
  app = serviceForEngine(createEngine({ env: localEnv(localData, clientDir) }));
  conn = app.service.connect(
    {
      send: (event, payload) => {
        if (event === 'console:data') {
          const c = payload as ConsoleDataEvent;
          if (c.target !== GUEST) return;
          guestText += c.data;
          // As the run view does once its terminal rendered the chunk.
          void conn.handlers['console:ack']({
            runId: c.runId,
            platform: c.platform,
            target: GUEST,
            offset: c.offset,
          });
        } else if (event === 'run:finished') finished.push(payload as FinishedEvent);
        else if (event === 'run:log' && CONNECTION_NEWS.test((payload as LogEvent).message))
          warnings.push((payload as LogEvent).message);
      },
    },
    'ipc',
  );
  const added = await conn.handlers['hosts:add']({
    name: 'lab1',
    destination: 'lab1',
    command: remoteCommandFor(builtCli(), sshd.remoteData),
  });
  expect(added.ok).toBe(true);
});

afterAll(async () => {
  // A failed test left its run going on at the host (the run is the host's): cancel it there
  // and wait until it ended, or its engine and QEMU would outlive the sshd and the folders.
  try {
    const active = app?.service.activeRunId;
    if (active) {
      await conn.handlers['run:cancel']({ runId: active });
      const until = Date.now() + TEARDOWN_WAIT_MS;
      while (finished.length === 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 1000));
    }
    conn?.close();
    await app?.dispose();
  } finally {
    await sshd?.stop();
    tmp.cleanup();
  }
});

it('types into a TCG guest on a host, Ctrl-C reaches its shell, cancel reaches the host', async () => {
  const started = await conn.handlers['run:start']({
    config: {
      name: 'remote tcg console',
      platforms: ['native', 'qemu-tcg'],
      profile: 'quick',
      benchmarks: [{ id: 'linpack', params: { seconds: 30 } }],
      repetitions: { count: 1, warmup: 0 },
      guest: { memoryMiB: 256 },
    },
    where: { local: false, hosts: ['lab1'] },
  });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  if (!started.ok) return;
  const runId = started.value.runId;
  const type = async (data: string) => {
    const r = await conn.handlers['console:write']({
      runId,
      platform: 'qemu-tcg',
      target: GUEST,
      data,
    });
    expect(r).toEqual({ ok: true, value: { written: true } });
  };
  // Interleaved rounds: the guest is paused while native measures, so type while the guest's
  // own linpack runs (its progress on the serial console says so).
  await expect.poll(() => guestText, { timeout: 240_000, interval: 1000 }).toMatch(/linpack:/);
  await type('echo bv-sleeping-$((1+1)); sleep 100\r');
  await expect.poll(() => guestText, { timeout: 60_000 }).toMatch(/bv-sleeping-2/);
  // Give sleep a moment to be the shell's foreground job, then interrupt it from here.
  await new Promise((r) => setTimeout(r, 1000));
  const interruptedAt = Date.now();
  await type(CTRL_C);
  await type('echo bv-back-$((3*3))\r');
  await expect
    .poll(() => guestText, { timeout: PROMPT_BACK_MS, interval: 500 })
    .toMatch(/bv-back-9/);
  expect(Date.now() - interruptedAt).toBeLessThan(PROMPT_BACK_MS);

  expect(await conn.handlers['run:cancel']({ runId })).toEqual({
    ok: true,
    value: { cancelled: true },
  });
  await expect.poll(() => finished.length, { timeout: 180_000, interval: 1000 }).toBe(1);
  const end = finished[0]!;
  expect(end.status, end.message).toBe('cancelled');
  expect(end.resultRunId).toBeTruthy();
  const copy = await conn.handlers['runs:get']({ runId: end.resultRunId! });
  expect(copy.ok).toBe(true);
  if (!copy.ok) return;
  expect(copy.value.item.host).toBe('lab1');
  expect(copy.value.item.status).toBe('cancelled');
  // The guest's transcript, copied home: the sleep, then the prompt back before 100 s passed.
  const transcript = readFileSync(join(copy.value.item.dir, 'consoles', 'qemu-tcg.log'), 'utf8');
  const sleeping = transcript.indexOf('bv-sleeping-2');
  expect(sleeping).toBeGreaterThanOrEqual(0);
  expect(transcript.indexOf('bv-back-9', sleeping)).toBeGreaterThan(sleeping);
  expect(warnings).toEqual([]);

  await expect
    .poll(() => existsSync(join(sshd.remoteData, 'agent', 'engine.pid')), { timeout: 30_000 })
    .toBe(false);
  expect(processesMatching(join(sshd.remoteData, 'runs'))).toEqual([]);
  expect(processesMatching(join(clientDir, 'config'))).toEqual([]);
  expect(readdirSync(join(sshd.remoteData, 'exports'))).toEqual([]);
  const localExports = join(localData, 'exports');
  expect(existsSync(localExports) ? readdirSync(localExports) : []).toEqual([]);
  expect(app.engine.tracker.size).toBe(0);
}, 600_000);
