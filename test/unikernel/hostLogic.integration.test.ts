/**
 * The library OS's pure C logic, compiled for the host: the kernel command line
 * parser (argv and options) and the initial stack (argc, argv, envp, auxv)
 * that musl's _start reads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelCmdline } from '../../src/main/platforms/unikernel/unikernelArgs';
import { ROOT } from './helpers';

const KERNEL = join(ROOT, 'resources', 'unikernel', 'kernel');
let dir: string;
let bin: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bv-uk-host-'));
  bin = join(dir, 'host_logic');
  execFileSync('gcc', [
    '-O1',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-fsanitize=address,undefined',
    '-o',
    bin,
    join(ROOT, 'resources', 'unikernel', 'tests', 'host_logic.c'),
    join(KERNEL, 'cmdline.c'),
    join(KERNEL, 'stack.c'),
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]): Record<string, unknown> =>
  JSON.parse(execFileSync(bin, args, { encoding: 'utf8' })) as Record<string, unknown>;

describe('kernel command line → argv', () => {
  it('skips the image name QEMU puts first, takes options before "--" and arguments after', () => {
    expect(run('/tmp/x/linpack.img disk=/dev/vdb -- --size 200 --seconds 0.2')).toEqual({
      error: 0,
      disk: '/dev/vdb',
      argv: ['prog', '--size', '200', '--seconds', '0.2'],
      terminated: true,
    });
  });

  it('without "--", every word after the image name is an argument', () => {
    expect(run('img a b')).toMatchObject({ disk: null, argv: ['prog', 'a', 'b'] });
    expect(run('img')).toMatchObject({ argv: ['prog'] });
    expect(run('')).toMatchObject({ argv: ['prog'] });
  });

  it('a second "--" is an argument; words after "--" are never options', () => {
    expect(run('img -- disk=/x -- y')).toMatchObject({
      disk: null,
      argv: ['prog', 'disk=/x', '--', 'y'],
    });
  });

  it('round-trips what the host quotes (spaces, quotes, backslashes, empty words)', () => {
    const args = ['two words', 'q"uote', 'back\\slash', '', '"', 'tab\there'];
    expect(run(`img ${kernelCmdline(args, '/dev/vda')}`)).toMatchObject({
      disk: '/dev/vda',
      argv: ['prog', ...args],
    });
  });

  it('refuses more arguments than it has room for instead of dropping them silently', () => {
    expect(run(`img -- ${Array.from({ length: 70 }, (_, i) => `a${i}`).join(' ')}`)).toMatchObject({
      error: 1,
    });
    expect(run(`img -- ${'x'.repeat(5000)}`)).toMatchObject({ error: 1 });
  });
});

describe('initial stack for musl', () => {
  it('lays out argc, argv, envp and auxv (with AT_RANDOM and AT_EXECFN added), 16-byte aligned', () => {
    const s = run('--stack', 'prog', '--size', 'two words');
    expect(s).toEqual({
      aligned: true,
      argc: 3,
      argv: ['prog', '--size', 'two words'],
      argvNull: true,
      envp: ['A=1'],
      auxv: { '6': 4096, '5': 1, '25': 1, '31': 1 },
      randomCopied: true,
      inside: true,
    });
  });

  it('says when the arguments do not fit', () => {
    expect(run('--stack', 'x'.repeat(70000))).toEqual({ error: 'no room' });
  });
});
