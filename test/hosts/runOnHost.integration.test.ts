/**
 * `benchvisor run --host` through a real sshd: a completed native run copied home with the host
 * recorded (list --json, show), a run whose local ssh is killed mid-run (the host finishes it,
 * the CLI re-attaches and copies it home), and a cancelled run; nothing left behind on either
 * side (no engine, no ssh, no bundle in either exports folder).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { localEnv, runCli, startCli } from '../support/hostsCli';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { processesMatching, tempDir } from '../engine/helpers';

const tmp = tempDir('run-on-host');
const clientDir = join(tmp.dir, 'client');
const localData = join(tmp.dir, 'local');
const env = localEnv(localData, clientDir);
let sshd: TestSshd;
let cli: string;

function config(name: string, seconds: number, reps: number): string {
  const file = join(tmp.dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      platforms: ['native'],
      profile: 'quick',
      benchmarks: [{ id: 'linpack', params: { seconds } }, 'syscall'],
      repetitions: { count: reps, warmup: 0 },
    }),
  );
  return file;
}

function listed(): {
  runId: string;
  host?: string;
  status: string;
  sampleCount: number;
  name: string;
}[] {
  return JSON.parse(readFileSync(join(tmp.dir, 'list.json'), 'utf8'));
}

async function nothingLeft(): Promise<void> {
  await expect
    .poll(() => existsSync(join(sshd.remoteData, 'agent', 'engine.pid')), { timeout: 30_000 })
    .toBe(false);
  expect(processesMatching(join(clientDir, 'config'))).toEqual([]);
  expect(processesMatching(sshd.remoteData)).toEqual([]);
  expect(readdirSync(join(localData, 'exports'))).toEqual([]);
  expect(readdirSync(join(sshd.remoteData, 'exports'))).toEqual([]);
}

beforeAll(async () => {
  cli = builtCli();
  sshd = await startSshd('lab1', join(tmp.dir, 'lab1'), clientDir);
  const r = await runCli(cli, env, [
    'hosts',
    'add',
    'lab1',
    'lab1',
    '--command',
    remoteCommandFor(cli, sshd.remoteData),
  ]);
  expect(r.code).toBe(0);
});

afterAll(async () => {
  await sshd?.stop();
  tmp.cleanup();
});

describe('run --host', () => {
  it('runs at the host and copies the run home with the host recorded', async () => {
    const r = await runCli(cli, env, ['run', config('remote-quick', 0.2, 2), '--host', 'lab1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[lab1\] run \S+ started there/);
    expect(r.stderr).toMatch(/\[lab1\] \[\d+\/4, ETA .*\] native syscall rep \d/);
    expect(r.stderr).toMatch(/\[lab1\] completed: copied home as run \S+ \(4 samples\)/);
    const dir = r.stdout.trim().split('\n').pop()!;
    const exp = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
    expect(exp.host).toMatchObject({ name: 'lab1', destination: 'lab1' });
    expect(exp.host.facts.cores).toBeGreaterThan(0);
    const list = await runCli(cli, env, ['list', '--json']);
    writeFileSync(join(tmp.dir, 'list.json'), list.stdout);
    const item = listed().find((i) => i.name === 'remote-quick')!;
    expect(item).toMatchObject({ host: 'lab1', status: 'completed', sampleCount: 4 });
    expect((await runCli(cli, env, ['list'])).stdout).toMatch(
      /completed \(imported\)\s+4 samples\s+native\s+lab1\s+remote-quick/,
    );
    expect((await runCli(cli, env, ['show', item.runId])).stdout).toMatch(/ran on host lab1/);
    // The run stays stored at the host too.
    expect(readdirSync(join(sshd.remoteData, 'runs'))).toContain(exp.host.remoteRunId);
    await nothingLeft();
  });

  it('keeps the run going at the host when the local ssh dies, and fetches it', async () => {
    const run = startCli(cli, env, ['run', config('remote-drop', 3, 2), '--host', 'lab1']);
    await expect.poll(() => run.stderr(), { timeout: 120_000 }).toMatch(/native linpack rep 1/);
    const ssh = processesMatching(join(clientDir, 'config'));
    expect(ssh.length).toBeGreaterThan(0);
    for (const pid of ssh) process.kill(pid, 'SIGKILL');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/lab1: connection lost, the run goes on there; re-attaching…/);
    expect(r.stderr).toMatch(/completed: copied home as run \S+ \(4 samples\)/);
    const dir = r.stdout.trim().split('\n').pop()!;
    const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8').trim().split('\n');
    expect(samples).toHaveLength(4);
    await nothingLeft();
  });

  it('cancels at the host on Ctrl-C and still copies what was measured', async () => {
    const run = startCli(cli, env, ['run', config('remote-cancel', 3, 4), '--host', 'lab1']);
    await expect.poll(() => run.stderr(), { timeout: 120_000 }).toMatch(/native linpack rep 1/);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelled: copied home as run/);
    const list = await runCli(cli, env, ['list', '--json']);
    writeFileSync(join(tmp.dir, 'list.json'), list.stdout);
    const item = listed().find((i) => i.name === 'remote-cancel')!;
    expect(item).toMatchObject({ host: 'lab1', status: 'cancelled' });
    expect(item.sampleCount).toBeGreaterThan(0);
    expect(item.sampleCount).toBeLessThan(8);
    await nothingLeft();
  });
});
