/**
 * The library OS under real QEMU (TCG): the unchanged benchmark sources linked
 * with it boot, run and pass their own checks; the clock follows the host's;
 * crashes, unknown system calls and hangs end the way the platform relies on.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResultLine } from '../../src/main/benchmarks/resultLine';
import type { UnikernelBootResult } from '../../src/main/platforms/unikernel/unikernelBoot';
import { qemuProcesses } from '../qemu/helpers';
import { bootHarness, buildImages, type BootHarness } from './helpers';

let images: ReturnType<typeof buildImages>;
let h: BootHarness;

beforeAll(() => {
  images = buildImages();
  h = bootHarness(images.dir);
});
afterAll(() => {
  h?.cleanup();
  images?.cleanup();
});

function result(r: UnikernelBootResult, id: Parameters<typeof parseResultLine>[1]) {
  expect(r.outcome, r.console).toEqual({ kind: 'exited', exitCode: 0 });
  const line = parseResultLine(r.console, id);
  if (!line.ok) throw new Error(`${line.error.message}\n${r.console}`);
  return line.value;
}

function expectNothingLeft(): void {
  expect(h.tracker.size).toBe(0);
  expect(qemuProcesses(h.workDir)).toEqual([]);
}

/** The block diskwrite writes: byte i of each block is i*7+1 (resources/bench/diskwrite.c). */
function expectDiskwritePattern(bytes: Buffer, blockBytes: number, total: number): void {
  for (let block = 0; block < total / blockBytes; block++) {
    const base = block * blockBytes;
    for (const i of [0, 1, 511, 512, blockBytes - 1])
      expect(bytes[base + i]).toBe((i * 7 + 1) & 0xff);
  }
}

describe('benchmarks on the library OS (TCG)', () => {
  it('linpack: result line, residual check passed (exit 0), boot-to-main measured', async () => {
    const r = await h.boot('linpack', ['--size', '200', '--seconds', '0.2']);
    const line = result(r, 'linpack');
    expect(line.metrics.kflops).toBeGreaterThan(0);
    expect(line.metrics.residual).toBeLessThan(10);
    expect(r.kvm).toEqual({ enabled: false, present: expect.any(Boolean) });
    expect(r.bootToMainMs).toBeGreaterThan(0);
    expect(r.facts.guestBootMs).toBeGreaterThan(0);
    expect(r.facts.unsupportedSyscalls).toEqual([]);
    expectNothingLeft();
  });

  it('syscall: every getppid is answered in the same address space', async () => {
    const line = result(await h.boot('syscall', ['--count', '100000']), 'syscall');
    expect(line.metrics.calls).toBe(100000);
    expect(line.metrics.nsPerCall).toBeGreaterThan(0);
  });

  it('memsweep: runs over memory mapped at boot; peak memory is what was handed out', async () => {
    const size = 1 << 20;
    const r = await h.boot('memsweep', ['--size', String(size)]);
    const line = result(r, 'memsweep');
    expect(line.metrics.seconds).toBeGreaterThan(0);
    expect(line.metrics.maxRssKiB).toBeGreaterThanOrEqual(size / 1024);
    // /proc does not exist; the benchmark falls back to getrusage, and the console says why.
    expect(r.console).toContain('open("/proc/self/status"): no such file');
  });

  for (const format of ['raw', 'qcow2'] as const) {
    it(`diskwrite on a ${format} virtio-blk disk: O_DIRECT accepted, the bytes are on the host's image`, async () => {
      const image = join(h.workDir, `disk.${format}`);
      execFileSync('qemu-img', ['create', '-q', '-f', format, image, '16M']);
      const r = await h.boot(
        'diskwrite',
        ['--file', '/dev/vda', '--size-mib', '4', '--block-kib', '256'],
        {
          disk: { path: image, format, cacheMode: format === 'raw' ? 'none' : 'writeback' },
        },
      );
      const line = result(r, 'diskwrite');
      expect(line.metrics).toMatchObject({ bytes: 4 << 20, direct: 1 });
      const raw = join(h.workDir, 'readback.raw');
      execFileSync('qemu-img', ['convert', '-O', 'raw', '-f', format, image, raw]);
      expectDiskwritePattern(readFileSync(raw), 256 << 10, 4 << 20);
      expectNothingLeft();
    });
  }
});

describe('the library OS itself (probe program, TCG)', () => {
  it('passes arguments from the kernel command line and builds argv/auxv/TLS for musl', async () => {
    const r = await h.boot('probe', ['args', 'two words', 'quote"inside', 'back\\slash', '']);
    expect(r.outcome).toEqual({ kind: 'exited', exitCode: 0 });
    const argv = [...r.console.matchAll(/^probe: argv\[(\d+)\]=(.*?)\r*$/gm)].map((m) => m[2]);
    expect(argv).toEqual(['probe', 'args', 'two words', 'quote"inside', 'back\\slash', '']);
    expect(r.console).toMatch(/probe: argc=6 pagesz=4096 random=yes pid=1 ppid=0 tls=42/);
    expect(r.console).toContain('probe: tls after increment=43');
  });

  it('keeps time with the host: the monotonic clock agrees with the wall clock within 5%', async () => {
    const marks: Record<string, { guestNs: number; hostMs: number }> = {};
    let text = '';
    const r = await h.boot('probe', ['clock', '3'], {
      onConsole: (d) => {
        const hostMs = performance.now();
        text += d;
        for (const m of text.matchAll(/probe: clock (start|end) (\d+)\r*\n/g))
          marks[m[1]!] ??= { guestNs: Number(m[2]), hostMs };
      },
    });
    expect(r.outcome).toEqual({ kind: 'exited', exitCode: 0 });
    const guestMs = (marks.end!.guestNs - marks.start!.guestNs) / 1e6;
    const hostMs = marks.end!.hostMs - marks.start!.hostMs;
    expect(guestMs).toBeGreaterThanOrEqual(3000);
    expect(Math.abs(guestMs - hostMs) / hostMs).toBeLessThan(0.05);
  });

  for (const [kind, named] of [
    ['null', 'exception #PF (page fault)'],
    ['ud', 'exception #UD (invalid opcode)'],
    ['div', 'exception #DE (divide error)'],
  ] as const) {
    it(`a program that faults (${kind}) is reported as a crash naming the exception, with a register dump`, async () => {
      const r = await h.boot('probe', ['fault', kind]);
      expect(r.outcome.kind).toBe('crashed');
      if (r.outcome.kind === 'crashed') expect(r.outcome.message).toContain(named);
      expect(r.console).toMatch(/rax [0-9a-f]{16} {2}rbx/);
      if (kind === 'null') expect(r.console).toContain('address 0x0 (not mapped, read)');
      expectNothingLeft();
    });
  }

  it('names an unknown system call once on the console and returns -ENOSYS without hanging', async () => {
    const r = await h.boot('probe', ['enosys'], { timeoutMs: 60_000 });
    expect(r.outcome).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.failure).toBeUndefined();
    expect(r.console.match(/unsupported system call 41 \(socket\)/g)).toHaveLength(1);
    expect(r.facts.unsupportedSyscalls).toEqual(['41 (socket)']);
    expect(r.console.match(/errno=38 \(Function not implemented\)/g)).toHaveLength(2);
    expect(r.console).toContain('probe: enosys done');
  });

  it('carries the exit status out through isa-debug-exit (exactly, even above 63)', async () => {
    expect((await h.boot('probe', ['exit', '5'])).outcome).toEqual({ kind: 'exited', exitCode: 5 });
    expect((await h.boot('probe', ['exit', '100'])).outcome).toEqual({
      kind: 'exited',
      exitCode: 100,
    });
  });

  it('reads and writes the disk at unaligned offsets (read-modify-write of partial sectors)', async () => {
    const image = join(h.workDir, 'probe.raw');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', image, '4M']);
    const r = await h.boot('probe', ['disk', '/dev/vda'], {
      disk: { path: image, format: 'raw', cacheMode: 'writeback' },
    });
    expect(r.outcome, r.console).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.console).toContain(`probe: disk ok, ${4 << 20} bytes`);
  });

  it('gives zeroed memory through malloc/calloc/realloc/free (brk and mmap)', async () => {
    const r = await h.boot('probe', ['memory']);
    expect(r.outcome, r.console).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.console).toContain('probe: memory ok');
  });

  it('a hang ends at the timeout with nothing left running', async () => {
    const r = await h.boot('probe', ['clock', '600'], { timeoutMs: 4_000 });
    expect(r.failure?.code).toBe('TIMEOUT');
    expect(r.outcome.kind).toBe('qemu-failed');
    expectNothingLeft();
  });

  it('cancel ends the boot with nothing left running', async () => {
    const controller = new AbortController();
    // Console chunks split anywhere: look for the marker in everything seen so far.
    let seen = '';
    const pending = h.boot('probe', ['clock', '600'], {
      signal: controller.signal,
      onConsole: (d) => {
        seen += d;
        if (seen.includes('clock start')) controller.abort();
      },
    });
    const r = await pending;
    expect(r.failure?.code).toBe('CANCELLED');
    expectNothingLeft();
  });
});
