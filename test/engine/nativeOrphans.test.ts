import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostProbe } from '../../src/main/host/hostProbe';
import {
  hostServiceOwner,
  runDirOfProcess,
  sweepNativeOrphans,
} from '../../src/main/platforms/native/orphans';
import { tempDir, waitFor } from './helpers';

describe('native orphans: whose process is it', () => {
  it("finds the run folder of a run's service from its native scratch argument", () => {
    expect(
      runDirOfProcess('nginx: master process /usr/sbin/nginx -p /d/runs/r1/scratch/native/svc/'),
    ).toBe('/d/runs/r1');
    expect(
      runDirOfProcess('/usr/sbin/nginx -p /d/runs/r2/scratch/native.control/svc/ -g daemon off;'),
    ).toBe('/d/runs/r2');
    expect(runDirOfProcess('/usr/sbin/nginx -p /srv/www/')).toBeNull();
  });

  it("finds the engine pid and prefix of the load client's ceiling nginx", () => {
    expect(
      hostServiceOwner(
        'nginx: master process /usr/sbin/nginx -p /tmp/benchvisor-ceiling-4242-AbC123/ -c /tmp/benchvisor-ceiling-4242-AbC123/nginx.conf',
      ),
    ).toEqual({ pid: 4242, dir: '/tmp/benchvisor-ceiling-4242-AbC123' });
    expect(hostServiceOwner('/usr/sbin/nginx -p /tmp/benchvisor-ceiling-xyz/')).toBeNull();
  });
});

describe('native orphans: the sweep reads processes through the host probe', () => {
  /** A /proc/<pid>/stat line: state S, the parent pid, zero times, start time 1. */
  const statLine = (pid: number, ppid: number): string =>
    `${pid} (nginx) S ${ppid} ${Array.from({ length: 48 }, (_, i) => (i === 17 ? '1' : '0')).join(' ')}\n`;

  it('stops the service (and its worker) of an ended run that a constructed /proc shows, keeps a live run', async () => {
    const tmp = tempDir('bv-native-orphans-');
    const children: ChildProcess[] = [];
    const sleeper = (): ChildProcess => {
      const c = spawn('sleep', ['60'], { stdio: 'ignore' });
      children.push(c);
      return c;
    };
    try {
      const [orphan, worker, live] = [sleeper(), sleeper(), sleeper()];
      const run = (name: string, status: string): string => {
        const dir = join(tmp.dir, 'runs', name);
        mkdirSync(join(dir, 'scratch', 'native', 'nginx'), { recursive: true });
        writeFileSync(join(dir, 'experiment.json'), JSON.stringify({ status, pid: process.pid }));
        return dir;
      };
      const ended = run('ended', 'complete');
      const going = run('going', 'running');
      // what the probe's /proc shows: the processes are real, their command lines constructed
      const procDir = join(tmp.dir, 'proc');
      const fake = (pid: number, ppid: number, argv: string[]): void => {
        mkdirSync(join(procDir, String(pid)), { recursive: true });
        writeFileSync(join(procDir, String(pid), 'stat'), statLine(pid, ppid));
        writeFileSync(join(procDir, String(pid), 'cmdline'), argv.join('\0') + '\0');
      };
      fake(orphan.pid!, 1, ['nginx', '-p', `${ended}/scratch/native/nginx/`]);
      fake(worker.pid!, orphan.pid!, ['nginx: worker process']);
      fake(live.pid!, 1, ['nginx', '-p', `${going}/scratch/native/nginx/`]);
      const probe = createHostProbe({ procDir });
      const stopped = await sweepNativeOrphans(probe.proc);
      expect(stopped.map((s) => Number(/^pid (\d+)/.exec(s)?.[1])).sort()).toEqual(
        [orphan.pid!, worker.pid!].sort(),
      );
      const exited = (c: ChildProcess) => () => c.exitCode !== null || c.signalCode !== null;
      expect(await waitFor(exited(orphan), 5000)).toBe(true);
      expect(await waitFor(exited(worker), 5000)).toBe(true);
      expect(live.exitCode === null && live.signalCode === null).toBe(true);
    } finally {
      for (const c of children) c.kill('SIGKILL');
      tmp.cleanup();
    }
  });
});
