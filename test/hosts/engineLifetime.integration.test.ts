/**
 * The agent's engine stays warm between connections (a check, then the run, find the same
 * engine) and gives way at once when the Benchvisor installed at the host has been updated, so
 * the next connection meets the new version. A copy of the built CLI stands in for the install,
 * so "updating" it disturbs no other test.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ENGINE_IDLE_ENV,
  ENGINE_IDLE_MS,
  engineIdleMs,
  readEnginePid,
} from '../../src/main/agent/engineDaemon';
import { agentPaths } from '../../src/main/agent/agentPaths';
import { pidAlive } from '../../src/main/process/pidAlive';
import { ROOT, builtCli } from '../support/builtApp';
import { stopAgentEngine } from '../support/sshd';
import { processesMatching, tempDir } from '../engine/helpers';

const tmp = tempDir('engine-lifetime');
const app = join(tmp.dir, 'app');
const cli = join(app, 'out', 'main', 'cli.js');
const data = join(tmp.dir, 'data');
/** Long enough that no engine of this test leaves by idling while it runs. */
const IDLE_S = 300;

beforeAll(() => {
  mkdirSync(join(app, 'out'), { recursive: true });
  cpSync(join(builtCli(), '..'), join(app, 'out', 'main'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
  symlinkSync(join(ROOT, 'resources'), join(app, 'resources'));
});

afterAll(async () => {
  await stopAgentEngine(data);
  expect(processesMatching(tmp.dir)).toEqual([]);
  tmp.cleanup();
});

/** One `benchvisor agent` connection: reads the hello, ends stdin, waits for the relay's exit. */
async function connectOnce(): Promise<{ hello: { type: string; version: string }; code: number }> {
  const relay = spawn(process.execPath, [cli, 'agent'], {
    env: { ...process.env, BENCHVISOR_DATA: data, [ENGINE_IDLE_ENV]: String(IDLE_S) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  relay.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await expect.poll(() => out.includes('\n'), { timeout: 60_000 }).toBe(true);
  relay.stdin.end();
  const code = await new Promise<number>((r) => relay.once('close', (c) => r(c ?? -1)));
  return { hello: JSON.parse(out.split('\n')[0]!), code };
}

const enginePid = (): number | null => readEnginePid(agentPaths(data).pidFile);

it('idles for minutes by default, and takes a valid override only', () => {
  expect(engineIdleMs({}).ms).toBe(ENGINE_IDLE_MS);
  expect(ENGINE_IDLE_MS).toBeGreaterThanOrEqual(5 * 60_000);
  expect(engineIdleMs({ [ENGINE_IDLE_ENV]: '42' })).toEqual({ ms: 42_000 });
  for (const bad of ['0', '-3', '1.5', 'soon', '999999999']) {
    const r = engineIdleMs({ [ENGINE_IDLE_ENV]: bad });
    expect(r.ms).toBe(ENGINE_IDLE_MS);
    expect(r.problem).toContain(`${ENGINE_IDLE_ENV}=${bad} is not a whole number of seconds`);
  }
});

it('keeps one engine warm across connections and restarts it once the install is updated', async () => {
  const first = await connectOnce();
  expect(first).toMatchObject({ code: 0, hello: { type: 'hello' } });
  const warm = enginePid()!;
  expect(pidAlive(warm)).toBe(true);

  // The next connection (a run after a check) meets the same engine.
  expect((await connectOnce()).code).toBe(0);
  expect(enginePid()).toBe(warm);

  // Updated at the host (the build rewrites the CLI's entry): the old engine refuses the next
  // connection and leaves; the relay starts the new version and the client sees only its hello.
  const later = new Date(Date.now() + 60_000);
  utimesSync(cli, later, later);
  const after = await connectOnce();
  expect(after).toMatchObject({ code: 0, hello: { type: 'hello' } });
  expect(enginePid()).not.toBe(warm);
  await expect.poll(() => pidAlive(warm), { timeout: 20_000 }).toBe(false);
  expect(readFileSync(join(data, 'agent', 'engine.log'), 'utf8')).toMatch(
    /Benchvisor here was updated, leaving for the new version/,
  );
}, 120_000);
