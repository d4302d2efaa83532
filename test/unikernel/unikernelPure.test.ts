/** The pure host-side pieces: exit status decoding, console facts, the QEMU command line. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARY_NAMES, CATALOGUE, binariesRunnableWith } from '../../src/shared/catalogue';
import { LIBRARY_OS_CAPABILITIES, LIBRARY_OS_LACKING } from '../../src/shared/platforms';
import { parseConsole } from '../../src/main/platforms/unikernel/consoleFacts';
import {
  LOS_EXIT_APP_BASE,
  LOS_EXIT_CRASH,
  LOS_EXIT_KERNEL_ERROR,
  decodeExit,
  qemuStatusFor,
} from '../../src/main/platforms/unikernel/exitStatus';
import {
  buildUnikernelArgs,
  kernelCmdline,
} from '../../src/main/platforms/unikernel/unikernelArgs';

describe('decodeExit', () => {
  it('maps isa-debug-exit values to the program status, a crash or a library OS error', () => {
    expect(qemuStatusFor(LOS_EXIT_APP_BASE)).toBe(129);
    expect(decodeExit({ status: 129 })).toEqual({ kind: 'exited', exitCode: 0 });
    expect(decodeExit({ status: 131 })).toEqual({ kind: 'exited', exitCode: 1 });
    expect(decodeExit({ status: 255 })).toEqual({ kind: 'exited', exitCode: 63 });
    expect(decodeExit({ status: 255, printedExit: 200 })).toEqual({
      kind: 'exited',
      exitCode: 200,
    });
    expect(decodeExit({ status: qemuStatusFor(LOS_EXIT_CRASH), crash: 'exception #UD' })).toEqual({
      kind: 'crashed',
      message: 'exception #UD',
    });
    expect(
      decodeExit({ status: qemuStatusFor(LOS_EXIT_KERNEL_ERROR), kernelError: 'no HPET' }),
    ).toEqual({
      kind: 'kernel-error',
      message: 'no HPET',
    });
  });

  it('never reads an ordinary QEMU failure or a kill as a program exit', () => {
    expect(decodeExit({ status: 1 }).kind).toBe('qemu-failed');
    expect(decodeExit({ status: 0 }).kind).toBe('qemu-failed');
    expect(decodeExit({ status: 130 }).kind).toBe('qemu-failed'); // even: not a debug-exit status
    expect(decodeExit({ status: null, signal: 9 })).toEqual({
      kind: 'qemu-failed',
      message: 'QEMU was killed by signal 9',
    });
  });
});

describe('parseConsole', () => {
  it('reads the library OS lines and ignores the program output', () => {
    const text = [
      '@@LIBOS virtio-blk at pci 0:4.0: 32768 sectors (16 MiB), queue 256, flush',
      '@@LIBOS main linpack: boot 316.486 ms after reset, TSC 2096038 kHz, 253 MiB for the program\r',
      'probe: @@LIBOS is only recognised at the start of a line? no: anywhere, but this is not a known line',
      '@@LIBOS unsupported system call 41 (socket): returning -ENOSYS',
      '@@LIBOS crash: exception #PF (page fault) at rip=0x103ae2, address 0x0 (not mapped, read)',
      '@@LIBOS exit 3',
    ].join('\r\n');
    expect(parseConsole(text)).toEqual({
      guestBootMs: 316.486,
      tscKHz: 2096038,
      unsupportedSyscalls: ['41 (socket)'],
      crash: 'exception #PF (page fault) at rip=0x103ae2, address 0x0 (not mapped, read)',
      printedExit: 3,
    });
  });
});

describe('buildUnikernelArgs', () => {
  const base = {
    accel: 'tcg' as const,
    memoryMiB: 256,
    image: '/img/linpack.img',
    args: ['--size', '200'],
    qmpSocket: '/t/q.sock',
    consoleLog: '/t/c.log',
  };

  it('boots the image with the debug-exit device, one CPU, QMP and a console log', () => {
    const a = buildUnikernelArgs({ ...base, paused: true });
    expect(a.join(' ')).toContain('-accel tcg -cpu max -smp 1 -m 256M');
    expect(a.join(' ')).toContain('-device isa-debug-exit,iobase=0xf4,iosize=0x04');
    expect(a.join(' ')).toContain('-kernel /img/linpack.img -append -- --size 200');
    expect(a).toContain('-S');
    expect(a.join(' ')).toContain(
      '-chardev stdio,id=console0,logfile=/t/c.log -serial chardev:console0',
    );
  });

  it('KVM uses the host CPU; a disk adds virtio-blk with the shape and tells the library OS its path', () => {
    const a = buildUnikernelArgs({
      ...base,
      accel: 'kvm',
      disk: { path: '/d/b.qcow2', format: 'qcow2', cacheMode: 'none' },
    });
    expect(a.join(' ')).toContain('-accel kvm -cpu host');
    expect(a.join(' ')).toContain(
      '-drive file=/d/b.qcow2,format=qcow2,if=none,id=bench0,cache=none,werror=report,rerror=report -device virtio-blk-pci,drive=bench0',
    );
    expect(a.join(' ')).toContain('-append disk=/dev/vda -- --size 200');
    expect(a).not.toContain('-S');
  });

  it('refuses paths that would break QEMU option syntax', () => {
    expect(() => buildUnikernelArgs({ ...base, qmpSocket: '/t/a,b.sock' })).toThrow(/comma/);
  });

  it('quotes words for the library OS command line parser', () => {
    expect(kernelCmdline(['a b', 'c"d', 'e\\f', ''])).toBe('-- "a b" "c\\"d" "e\\\\f" ""');
  });
});

describe('which benchmarks the library OS runs (one source: the catalogue)', () => {
  const root = join(__dirname, '..', '..');
  it('build.sh links exactly the binaries whose requirements the library OS meets', () => {
    const listed = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        join(root, 'scripts/bench-list.ts'),
        '--library-os',
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
    expect(listed).toEqual(binariesRunnableWith(LIBRARY_OS_CAPABILITIES));
    expect(listed).toEqual(expect.arrayContaining(['linpack', 'memsweep', 'syscall', 'diskwrite']));
  });
  it('every binary it leaves out lacks a capability whose absence is explained', () => {
    const left = BINARY_NAMES.filter(
      (id) => !binariesRunnableWith(LIBRARY_OS_CAPABILITIES).includes(id),
    );
    expect(left).toContain('forksum');
    for (const id of left) {
      const missing = CATALOGUE[id].requires.filter((c) => !LIBRARY_OS_CAPABILITIES.includes(c));
      expect(missing.length).toBeGreaterThan(0);
      for (const c of missing) expect(LIBRARY_OS_LACKING[c]?.length ?? 0).toBeGreaterThan(20);
    }
  });
});
