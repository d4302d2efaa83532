import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepDeadWorkDirs } from '../../src/main/qemu/targetDisk';

const parent = mkdtempSync(join(tmpdir(), 'benchvisor-workdirs-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has ended (a short-lived child, already reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe("a killed engine's guest work folders", () => {
  it('are swept; folders of live engines, of this one and of other names stay', async () => {
    const dead = join(parent, `bvq-${deadPid()}-AbC123`);
    const mine = join(parent, `bvq-${process.pid}-XyZ789`);
    const live = join(parent, `bvq-1-init0000`); // pid 1 is always alive
    const other = join(parent, 'bvq-notapid');
    const unikernel = join(parent, `bvu-${deadPid()}-Qq1`);
    for (const d of [dead, mine, live, other, unikernel]) mkdirSync(d);
    expect(await sweepDeadWorkDirs(parent, 'bvq-')).toEqual([dead]);
    expect([dead, mine, live, other, unikernel].map(existsSync)).toEqual([
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(await sweepDeadWorkDirs(parent, 'bvu-')).toEqual([unikernel]);
  });

  it('a missing parent folder sweeps nothing', async () => {
    expect(await sweepDeadWorkDirs(join(parent, 'gone'), 'bvq-')).toEqual([]);
  });
});
