/** The upload store on its own: limits, hand-over, and folders left by dead processes. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BundleUploads,
  MAX_OPEN_UPLOADS,
  UPLOAD_IDLE_TIMEOUT_MS,
} from '../../src/main/export/bundleUploads';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
function root(): string {
  const r = mkdtempSync(join(tmpdir(), 'benchvisor-uploads-'));
  roots.push(r);
  return r;
}

describe('bundle uploads', () => {
  it('appends chunks in order and hands the complete file over', async () => {
    const store = new BundleUploads(root());
    const id = await store.begin('a.zip', 6);
    expect(await store.append(id, 0, Buffer.from('abc'))).toBe(3);
    expect(await store.append(id, 3, Buffer.from('def'))).toBe(6);
    const path = store.take(id);
    expect(readFileSync(path, 'utf8')).toBe('abcdef');
    expect(store.has(id)).toBe(false);
    expect(() => store.take(id)).toThrow(/no such upload/);
    store.discardAll();
    expect(existsSync(path)).toBe(false);
  });

  it(`refuses a ${MAX_OPEN_UPLOADS + 1}th upload at once, and accepts one again when a slot frees`, async () => {
    const store = new BundleUploads(root());
    const ids: string[] = [];
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) ids.push(await store.begin(`${i}.zip`, 10));
    await expect(store.begin('extra.zip', 10)).rejects.toMatchObject({ code: 'BUSY' });
    expect(await store.discard(ids[0]!)).toBe(true);
    expect(await store.discard(ids[0]!)).toBe(false);
    await expect(store.begin('extra.zip', 10)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    store.discardAll();
  });

  it('sweeps folders of processes that died, keeps those of live ones', async () => {
    const r = root();
    // pid 2^22 + 1 is above Linux's pid_max limit: no process can have it.
    const dead = join(r, `${2 ** 22 + 1}-abc123`);
    const live = join(r, `${process.ppid}-def456`);
    mkdirSync(dead);
    mkdirSync(live);
    writeFileSync(join(dead, 'x.zip.part'), 'left by a crash');
    const store = new BundleUploads(r);
    await store.begin('a.zip', 1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    const mine = readdirSync(r).filter((n) => n.startsWith(`${process.pid}-`));
    expect(mine).toHaveLength(1);
    store.discardAll();
    expect(readdirSync(r)).toEqual([`${process.ppid}-def456`]);
  });

  it('expires uploads left idle, so one quiet client cannot hold every slot (issue #9)', async () => {
    let now = 1_000_000;
    const r = root();
    const store = new BundleUploads(r, { now: () => now });
    const quiet: string[] = [];
    for (let i = 0; i < MAX_OPEN_UPLOADS - 1; i++) quiet.push(await store.begin(`q${i}.zip`, 10));
    const active = await store.begin('active.zip', 10);
    await expect(store.begin('extra.zip', 10)).rejects.toMatchObject({ code: 'BUSY' });
    // The active upload sends a chunk just before the quiet ones reach the timeout.
    now += UPLOAD_IDLE_TIMEOUT_MS - 1;
    expect(await store.append(active, 0, Buffer.from('abc'))).toBe(3);
    now += 1;
    await expect(store.begin('extra.zip', 10)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    for (const id of quiet) expect(store.has(id)).toBe(false);
    expect(store.has(active)).toBe(true);
    await expect(store.append(quiet[0]!, 0, Buffer.from('x'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/expired after 180 s without a chunk/),
    });
    // Their files are gone from disk too; the active one's stays.
    const parts = readdirSync(r, { recursive: true, encoding: 'utf8' });
    expect(parts.filter((n) => n.endsWith('.part'))).toHaveLength(2);
    store.discardAll();
  });
});
