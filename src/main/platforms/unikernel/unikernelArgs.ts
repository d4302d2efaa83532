/**
 * The qemu-system-x86_64 command line for one unikernel boot. Pure, so it is
 * unit-tested and shown verbatim in the review step. The same accelerator and
 * CPU model as the Linux guests (qemu/qemuArgs.ts), so "unikernel vs Linux
 * guest" compares operating systems, not emulators.
 */
import type { CacheMode, DiskFormat } from '../../qemu/disk';
import { DISK_ERROR_POLICY, type Accel } from '../../qemu/qemuArgs';

/** isa-debug-exit at the port the library OS writes its exit value to. */
export const DEBUG_EXIT_DEVICE = 'isa-debug-exit,iobase=0xf4,iosize=0x04';
/** Where the benchmark disk appears to the program (the library OS's one file). */
export const UNIKERNEL_DISK_PATH = '/dev/vda';

export interface UnikernelLaunchSpec {
  accel: Accel;
  memoryMiB: number;
  /** The flat multiboot image (resources/unikernel/build/<name>.img). */
  image: string;
  /** The program's arguments (argv[1..]). */
  args: string[];
  qmpSocket: string;
  /** File that receives a copy of everything on the serial console. */
  consoleLog: string;
  disk?: { path: string; format: DiskFormat; cacheMode: CacheMode };
  /** Start with the CPU stopped (QMP "cont" starts it). */
  paused?: boolean;
  name?: string;
}

function optionValue(what: string, value: string): string {
  if (value.includes(',')) throw new Error(`${what} must not contain a comma: ${value}`);
  return value;
}

/** One word of the kernel command line: quoted when it holds spaces, quotes or backslashes. */
export function cmdlineWord(word: string): string {
  if (word !== '' && !/[\s"\\]/.test(word)) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** "disk=/dev/vda -- --size 200": library OS options, then the program's arguments. */
export function kernelCmdline(args: string[], diskPath?: string): string {
  const options = diskPath ? [`disk=${cmdlineWord(diskPath)}`] : [];
  return [...options, '--', ...args.map(cmdlineWord)].join(' ');
}

export function buildUnikernelArgs(spec: UnikernelLaunchSpec): string[] {
  const args: string[] = [];
  if (spec.name) args.push('-name', optionValue('name', spec.name));
  args.push('-accel', spec.accel === 'kvm' ? 'kvm' : 'tcg');
  args.push('-cpu', spec.accel === 'kvm' ? 'host' : 'max');
  // One address space, one CPU: the library OS never starts a second one.
  args.push('-smp', '1', '-m', `${spec.memoryMiB}M`);
  args.push('-nodefaults', '-no-user-config', '-display', 'none', '-vga', 'none');
  args.push(
    '-chardev',
    `stdio,id=console0,logfile=${optionValue('console log path', spec.consoleLog)}`,
  );
  args.push('-serial', 'chardev:console0', '-monitor', 'none', '-no-reboot');
  args.push('-device', DEBUG_EXIT_DEVICE);
  args.push(
    '-kernel',
    spec.image,
    '-append',
    kernelCmdline(spec.args, spec.disk ? UNIKERNEL_DISK_PATH : undefined),
  );
  args.push('-qmp', `unix:${optionValue('QMP socket path', spec.qmpSocket)},server=on,wait=off`);
  if (spec.disk) {
    const d = spec.disk;
    args.push(
      '-drive',
      `file=${optionValue('disk path', d.path)},format=${d.format},if=none,id=bench0,cache=${d.cacheMode},${DISK_ERROR_POLICY}`,
      '-device',
      'virtio-blk-pci,drive=bench0',
    );
  }
  if (spec.paused) args.push('-S');
  return args;
}
