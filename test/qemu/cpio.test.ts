import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archivePath, writeCpio, type CpioEntry } from '../../src/main/qemu/cpio';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'bv-cpio-'));
  dirs.push(d);
  return d;
}

// Lengths chosen so names and data hit every 4-byte padding case.
const entries: CpioEntry[] = [
  { kind: 'file', path: '/init', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { kind: 'file', path: 'etc/a/b/c.txt', data: Buffer.from('x') },
  { kind: 'file', path: 'etc/empty', data: Buffer.alloc(0) },
  {
    kind: 'file',
    path: 'bin/blob',
    data: Buffer.from(Array.from({ length: 1023 }, (_, i) => i & 0xff)),
  },
  { kind: 'symlink', path: '/bin/sh', target: '/bin/busybox' },
  { kind: 'dir', path: 'tmp', mode: 0o1777 },
];

describe('cpio newc writer', () => {
  it('round-trips through GNU cpio -i with contents, modes and links intact', () => {
    const dir = scratch();
    const archive = join(dir, 'a.cpio');
    writeFileSync(archive, writeCpio(entries));
    const out = join(dir, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('cpio', ['-i', '-d', '--quiet', '-F', archive], { cwd: out });
    expect(readFileSync(join(out, 'init'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(join(out, 'init')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(out, 'etc/a/b/c.txt'), 'utf8')).toBe('x');
    expect(readFileSync(join(out, 'etc/empty')).length).toBe(0);
    expect([...readFileSync(join(out, 'bin/blob'))]).toEqual(
      Array.from({ length: 1023 }, (_, i) => i & 0xff),
    );
    expect(readlinkSync(join(out, 'bin/sh'))).toBe('/bin/busybox');
    expect(statSync(join(out, 'tmp')).isDirectory()).toBe(true);
  });

  it('lists parents before children, as the kernel needs (cpio -t)', () => {
    const dir = scratch();
    const archive = join(dir, 'a.cpio');
    writeFileSync(archive, writeCpio(entries));
    const listed = execFileSync('cpio', ['-t', '--quiet', '-F', archive], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(listed).toEqual([
      'init',
      'etc',
      'etc/a',
      'etc/a/b',
      'etc/a/b/c.txt',
      'etc/empty',
      'bin',
      'bin/blob',
      'bin/sh',
      'tmp',
    ]);
  });

  it('writes character devices with their numbers (dev/console 5,1)', () => {
    const dir = scratch();
    const archive = join(dir, 'a.cpio');
    writeFileSync(
      archive,
      writeCpio([{ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 }]),
    );
    const listing = execFileSync('cpio', ['-t', '-v', '--quiet', '-F', archive], {
      encoding: 'utf8',
    });
    expect(listing).toMatch(/^crw-------.*5,\s*1.*dev\/console$/m);
  });

  it('is byte-for-byte reproducible and ends with the trailer', () => {
    const a = writeCpio(entries);
    expect(a.equals(writeCpio(entries))).toBe(true);
    expect(a.length % 4).toBe(0);
    expect(a.subarray(0, 6).toString()).toBe('070701');
    expect(a.includes(Buffer.from('TRAILER!!!\0'))).toBe(true);
  });

  it('rejects duplicate and escaping paths', () => {
    expect(() =>
      writeCpio([
        { kind: 'file', path: 'a', data: Buffer.from('1') },
        { kind: 'file', path: '/a', data: Buffer.from('2') },
      ]),
    ).toThrow(/listed twice: a/);
    expect(() => archivePath('../etc/passwd')).toThrow(/invalid cpio path/);
    expect(() => archivePath('/')).toThrow(/invalid cpio path/);
  });
});
