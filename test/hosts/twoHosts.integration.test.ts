/**
 * Two real sshd (two ports, two data folders) as two hosts: one experiment on both in parallel,
 * each run copied home, then opened as one comparison by host ("lab1 · Native" beside
 * "lab2 · Native") with the host-differences finding; a third, unreachable host fails its part
 * without disturbing the others.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { localEnv, runCli } from '../support/hostsCli';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { tempDir } from '../engine/helpers';
import { writeFileSync } from 'node:fs';

const tmp = tempDir('two-hosts');
const clientDir = join(tmp.dir, 'client');
const env = localEnv(join(tmp.dir, 'local'), clientDir);
const servers: TestSshd[] = [];
let cli: string;

beforeAll(async () => {
  cli = builtCli();
  for (const name of ['lab1', 'lab2']) {
    const s = await startSshd(name, join(tmp.dir, name), clientDir);
    servers.push(s);
    await runCli(cli, env, [
      'hosts',
      'add',
      name,
      name,
      '--command',
      remoteCommandFor(cli, s.remoteData),
    ]);
  }
  // A host on a port where nothing listens.
  await runCli(cli, env, ['hosts', 'add', 'gone', 'ssh://root@127.0.0.1:1']);
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  tmp.cleanup();
});

it('runs one experiment on two hosts in parallel and opens it as one comparison by host', async () => {
  const cfg = join(tmp.dir, 'cfg.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      name: 'two labs',
      platforms: ['native'],
      profile: 'quick',
      benchmarks: ['syscall'],
      repetitions: { count: 2, warmup: 0 },
    }),
  );
  const r = await runCli(cli, env, [
    'run',
    cfg,
    '--host',
    'lab1',
    '--host',
    'lab2',
    '--host',
    'gone',
  ]);
  expect(r.code).toBe(1); // one host failed its part
  expect(r.stderr).toMatch(/\[gone\] gone: ssh:\/\/root@127\.0\.0\.1:1 cannot be reached/);
  expect(r.stderr).toMatch(/\[lab1\] completed: copied home/);
  expect(r.stderr).toMatch(/\[lab2\] completed: copied home/);
  expect(r.stderr).toMatch(/one comparison by host: run (\S+)/);
  const combinedId = /one comparison by host: run (\S+)/.exec(r.stderr)![1]!;
  const shown = await runCli(cli, env, ['show', combinedId]);
  expect(shown.stdout).toContain('lab1 · Native');
  expect(shown.stdout).toContain('lab2 · Native');
  expect(shown.stdout).toMatch(/Hosts lab1, lab2 have the same recorded facts/);
  const list = JSON.parse((await runCli(cli, env, ['list', '--json'])).stdout) as {
    runId: string;
    host?: string;
  }[];
  expect(list.find((i) => i.runId === combinedId)?.host).toBe('lab1, lab2');
  expect(list.filter((i) => i.host === 'lab1' || i.host === 'lab2')).toHaveLength(2);
  const exp = JSON.parse(
    readFileSync(join(r.stdout.trim().split('\n').pop()!, 'experiment.json'), 'utf8'),
  );
  expect(exp.comparesRuns.map((c: { host: string }) => c.host)).toEqual(['lab1', 'lab2']);
});
