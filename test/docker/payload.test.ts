import { appendFile, chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_BINARIES,
  collectPayload,
  parseAppletList,
  parseLddOutput,
  payloadHash,
  withParentDirectories,
} from '../../src/main/payload';
import type { PayloadFile } from '../../src/main/payload';
import { BENCH_BIN_DIR, ensureBenchBuilt } from './dockerEnv';

const LDD_SAMPLE = `	linux-vdso.so.1 (0x00007ffd5a1f2000)
	libcrypt.so.1 => /lib/x86_64-linux-gnu/libcrypt.so.1 (0x00007f9fa6c39000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f9fa641e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f9fa6de0000)
`;

describe('payload parsing', () => {
  it('takes resolved libraries and the interpreter from ldd output, not the vdso', () => {
    expect(parseLddOutput(LDD_SAMPLE)).toEqual([
      '/lib/x86_64-linux-gnu/libcrypt.so.1',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('names the libraries ldd could not find', () => {
    expect(() =>
      parseLddOutput('\tlibfoo.so.3 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n'),
    ).toThrow(/libfoo\.so\.3/);
  });

  it('turns busybox --list-full into absolute paths', () => {
    expect(parseAppletList('usr/bin/awk\nbin/sh\n\n')).toEqual(['/usr/bin/awk', '/bin/sh']);
  });

  it('adds every missing parent folder before its content', () => {
    const out = withParentDirectories([
      { kind: 'inline', dest: '/a/b/c.txt', mode: 0o644, content: 'x' },
    ]);
    expect(out.map((f) => `${f.kind} ${f.dest}`)).toEqual([
      'dir /a',
      'dir /a/b',
      'inline /a/b/c.txt',
    ]);
  });
});

describe('collectPayload (real host files)', () => {
  let files: PayloadFile[];
  let scratch: string;

  beforeAll(async () => {
    await ensureBenchBuilt();
    files = await collectPayload({ benchBinDir: BENCH_BIN_DIR });
    scratch = await mkdtemp(join(tmpdir(), 'benchvisor-payload-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const byDest = (dest: string) => files.find((f) => f.dest === dest);

  it('holds busybox with applet links, the benchmarks, nginx and its loader', () => {
    expect(byDest('/bin/busybox')).toMatchObject({ kind: 'file', source: '/bin/busybox' });
    expect(byDest('/bin/sh')).toEqual({ kind: 'symlink', dest: '/bin/sh', target: '/bin/busybox' });
    for (const b of BENCH_BINARIES)
      expect(byDest(`/bench/${b}`)).toMatchObject({ kind: 'file', source: join(BENCH_BIN_DIR, b) });
    expect(byDest('/usr/sbin/nginx')).toMatchObject({ kind: 'file' });
    expect(byDest('/lib64/ld-linux-x86-64.so.2')).toMatchObject({ kind: 'file' });
    expect(files.some((f) => f.kind === 'file' && /\/libc\.so\.6$/.test(f.dest))).toBe(true);
    expect(byDest('/etc/passwd')).toMatchObject({ kind: 'inline' });
    expect((byDest('/etc/passwd') as { content: string }).content).toMatch(/^nobody:/m);
    expect(byDest('/tmp')).toEqual({ kind: 'dir', dest: '/tmp', mode: 0o1777 });
  });

  it('lists every destination once, each folder before its content', () => {
    const dests = files.map((f) => f.dest);
    expect(new Set(dests).size).toBe(dests.length);
    const index = new Map(dests.map((d, i) => [d, i]));
    for (const [d, i] of index) {
      const parent = d.slice(0, d.lastIndexOf('/'));
      if (parent !== '') expect(index.get(parent)).toBeLessThan(i);
    }
  });

  it('lets extra entries replace defaults', async () => {
    const extra: PayloadFile = {
      kind: 'inline',
      dest: '/etc/passwd',
      mode: 0o600,
      content: 'root:x:0:0::/:/bin/sh\n',
    };
    const withExtra = await collectPayload({ benchBinDir: BENCH_BIN_DIR }, { extra: [extra] });
    expect(withExtra.find((f) => f.dest === '/etc/passwd')).toEqual(extra);
  });

  it("has a hash that changes with a binary's content and stays put otherwise", async () => {
    const copy = join(scratch, 'bench');
    await mkdir(copy);
    for (const b of BENCH_BINARIES) await copyFile(join(BENCH_BIN_DIR, b), join(copy, b));
    const before = await payloadHash(await collectPayload({ benchBinDir: copy }));
    expect(await payloadHash(await collectPayload({ benchBinDir: copy }))).toBe(before);
    await appendFile(join(copy, 'linpack'), Buffer.from([0]));
    expect(await payloadHash(await collectPayload({ benchBinDir: copy }))).not.toBe(before);
  });

  it('fails with TOOL_MISSING naming the missing binaries and the fix', async () => {
    const partial = join(scratch, 'partial');
    await mkdir(partial);
    await writeFile(join(partial, 'linpack'), '#!/bin/sh\n');
    await chmod(join(partial, 'linpack'), 0o755);
    await expect(collectPayload({ benchBinDir: partial })).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      message: expect.stringMatching(/memsweep.*npm run build:bench/),
    });
  });
});
