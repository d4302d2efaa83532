/**
 * Folders named by a dead engine's pid (process/pidDirs.ts): the one sweep behind QEMU's and the
 * unikernel's socket folders (qemu/targetDisk.ts) and the native host service's work folders.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pidOfDirName, sweepDeadPidDirs } from '../../src/main/process/pidDirs';
import { sweepDeadWorkDirs, sweepOrphanWorkDirs } from '../../src/main/qemu/targetDisk';

const parent = mkdtempSync(join(tmpdir(), 'benchvisor-workdirs-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has ended (a short-lived child, already reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('pidOfDirName', () => {
  it('reads the pid after the prefix, and nothing from other names', () => {
    expect(pidOfDirName('bvq-123-AbC', 'bvq-')).toBe(123);
    expect(pidOfDirName('benchvisor-ceiling-77-x', 'benchvisor-ceiling-')).toBe(77);
    expect(pidOfDirName('bvq-notapid', 'bvq-')).toBeNull();
    expect(pidOfDirName('bvq-0-x', 'bvq-')).toBeNull();
    expect(pidOfDirName('bvu-123-x', 'bvq-')).toBeNull();
  });
});

describe("a killed engine's pid-named folders", () => {
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
    // As the QEMU and unikernel platforms' sweepOrphans() report it.
    expect(await sweepOrphanWorkDirs(parent, 'bvu-')).toEqual({
      containers: [],
      volumes: [],
      processes: [`folder ${unikernel}`],
    });
  });

  it('asks the given liveness check (a constructed one: pid 424242 dead, 424243 alive)', async () => {
    const gone = join(parent, 'benchvisor-ceiling-424242-aa');
    const running = join(parent, 'benchvisor-ceiling-424243-bb');
    for (const d of [gone, running]) mkdirSync(d);
    const alive = (pid: number): boolean => pid === 424243;
    expect(await sweepDeadPidDirs(parent, 'benchvisor-ceiling-', alive)).toEqual([gone]);
    expect([gone, running].map(existsSync)).toEqual([false, true]);
  });

  it('a missing parent folder sweeps nothing', async () => {
    expect(await sweepDeadPidDirs(join(parent, 'gone'), 'bvq-')).toEqual([]);
  });
});
