/** process/pidAlive.ts: a running process is alive; an ended one, reaped or a zombie, is not. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { pidAlive } from '../../src/main/process/pidAlive';

it('tells a running process from an ended one', () => {
  expect(pidAlive(process.pid)).toBe(true);
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  expect(pidAlive(Number(ended.stdout))).toBe(false);
});

it('counts a zombie (exited, not yet collected by its parent) as dead', async () => {
  // `sleep 0` ends at once; its parent then becomes `sleep 30`, which never collects it.
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const zombie = await new Promise<number>((r) =>
      parent.stdout.once('data', (d: Buffer) => r(Number.parseInt(d.toString(), 10))),
    );
    await expect
      .poll(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0])
      .toBe('Z');
    expect(pidAlive(zombie)).toBe(false);
    expect(pidAlive(parent.pid!)).toBe(true);
  } finally {
    parent.kill('SIGKILL');
  }
});
