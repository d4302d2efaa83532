import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneInitramfsCache } from '../../src/main/qemu/initramfs';

describe('initramfs cache pruning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bv-initramfs-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest images and anything that is not an initramfs image', async () => {
    const names = ['a1', 'b2', 'c3', 'd4', 'e5'].map((h) => `initramfs-${h}.cpio.gz`);
    names.forEach((n, i) => {
      const p = join(dir, n);
      writeFileSync(p, n);
      // a1 oldest … e5 newest
      utimesSync(p, new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
    });
    writeFileSync(join(dir, 'bare-ff.cpio.gz'), 'bare');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');

    const removed = await pruneInitramfsCache(dir, 3);
    expect(removed.sort()).toEqual(['initramfs-a1.cpio.gz', 'initramfs-b2.cpio.gz']);
    expect(readdirSync(dir).sort()).toEqual([
      'bare-ff.cpio.gz',
      'initramfs-c3.cpio.gz',
      'initramfs-d4.cpio.gz',
      'initramfs-e5.cpio.gz',
      'notes.txt',
    ]);
  });

  it('a missing cache folder is not an error', async () => {
    expect(await pruneInitramfsCache(join(dir, 'nope'), 3)).toEqual([]);
  });
});
