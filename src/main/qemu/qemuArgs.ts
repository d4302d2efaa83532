/**
 * Builds the qemu-system-x86_64 command line for a Benchvisor guest. Pure:
 * everything it needs comes in the spec, so it is unit-tested directly and
 * shown verbatim in the wizard's review step.
 */
import type { CacheMode, DiskFormat } from './disk';

export type Accel = 'tcg' | 'kvm';

/** Name of the agent's virtio-serial port (the guest init looks for it). */
export const AGENT_PORT_NAME = 'org.benchvisor.agent';
/** Kernel command line: serial console, no chatter, reboot (=exit, with -no-reboot) on panic. */
export const GUEST_KERNEL_CMDLINE = 'console=ttyS0 quiet panic=-1';
/** The guest's address on QEMU's user-mode network (fixed by QEMU's defaults). */
/**
 * The serial console's chardev: QEMU's stdio (our pty) with signal=off, so Ctrl-C and the
 * other control keys typed into the live console reach the guest shell instead of ending QEMU
 * (`-serial stdio` is a stdio chardev with signal=on).
 */
export const SERIAL_CHARDEV = 'stdio,id=console0,signal=off,mux=off';

export const GUEST_IP = '10.0.2.15';

export interface HostForward {
  hostPort: number;
  guestPort: number;
}

export interface QemuLaunchSpec {
  accel: Accel;
  vcpus: number;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  /** Extra kernel parameters appended after GUEST_KERNEL_CMDLINE. */
  extraCmdline?: string;
  qmpSocket: string;
  /** Omit for a bare boot without agent channel. */
  agentSocket?: string;
  disk?: { path: string; format: DiskFormat; cacheMode: CacheMode };
  /** TCP ports forwarded from 127.0.0.1 on the host into the guest. */
  forwards?: HostForward[];
  /** No network device at all (bare reference boot). */
  noNetwork?: boolean;
  name?: string;
}

/** Checks values that would otherwise break QEMU's comma-separated option syntax. */
function optionValue(what: string, value: string): string {
  if (value.includes(',')) throw new Error(`${what} must not contain a comma: ${value}`);
  return value;
}

/**
 * QEMU's asynchronous I/O engine for the benchmark disk: Linux native AIO where the cache mode
 * opens the image with O_DIRECT (none, directsync: aio=native requires cache.direct=on), else
 * QEMU's thread pool (its default). io_uring is not chosen: it depends on how QEMU was built
 * and on the host kernel, and native AIO gives the same no-thread-pool path everywhere.
 */
/** The benchmark disk's -drive id (QMP query-block lists the drive under it). */
export const DISK_DRIVE_ID = 'bench0';

/**
 * A write or read error on the benchmark disk (ENOSPC on the host above all) is reported to the
 * guest, whose benchmark then fails at once; QEMU's default stops the whole guest on ENOSPC,
 * and the repetition would wait for its timeout.
 */
export const DISK_ERROR_POLICY = 'werror=report,rerror=report';

export function diskAio(cacheMode: CacheMode): 'native' | 'threads' {
  return cacheMode === 'none' || cacheMode === 'directsync' ? 'native' : 'threads';
}

export function buildQemuArgs(spec: QemuLaunchSpec): string[] {
  const args: string[] = [];
  if (spec.name) args.push('-name', optionValue('name', spec.name));
  // Multi-threaded TCG lets -smp N use N host threads; KVM runs on the real CPU.
  args.push('-accel', spec.accel === 'kvm' ? 'kvm' : 'tcg,thread=multi');
  // KVM: the host CPU model; TCG: every feature TCG can emulate.
  args.push('-cpu', spec.accel === 'kvm' ? 'host' : 'max');
  args.push('-smp', String(spec.vcpus), '-m', `${spec.memoryMiB}M`);
  // Only the devices we add below; no graphics; the serial port is our stdio (a pty).
  args.push('-nodefaults', '-no-user-config', '-display', 'none', '-vga', 'none');
  args.push('-chardev', SERIAL_CHARDEV, '-serial', 'chardev:console0');
  args.push('-monitor', 'none', '-no-reboot');
  args.push('-kernel', spec.kernel, '-initrd', optionValue('initrd path', spec.initrd));
  args.push(
    '-append',
    spec.extraCmdline ? `${GUEST_KERNEL_CMDLINE} ${spec.extraCmdline}` : GUEST_KERNEL_CMDLINE,
  );
  args.push('-qmp', `unix:${optionValue('QMP socket path', spec.qmpSocket)},server=on,wait=off`);
  if (spec.agentSocket) {
    args.push('-device', 'virtio-serial-pci,id=vser0');
    args.push(
      '-chardev',
      `socket,id=agent0,path=${optionValue('agent socket path', spec.agentSocket)},server=on,wait=off`,
    );
    args.push('-device', `virtserialport,bus=vser0.0,chardev=agent0,name=${AGENT_PORT_NAME}`);
  }
  if (!spec.noNetwork) {
    const fwd = (spec.forwards ?? [])
      .map((f) => `,hostfwd=tcp:127.0.0.1:${f.hostPort}-:${f.guestPort}`)
      .join('');
    args.push('-netdev', `user,id=net0${fwd}`, '-device', 'virtio-net-pci,netdev=net0');
  }
  if (spec.disk) {
    const d = spec.disk;
    args.push(
      '-drive',
      `file=${optionValue('disk path', d.path)},format=${d.format},if=none,id=${DISK_DRIVE_ID},cache=${d.cacheMode},aio=${diskAio(d.cacheMode)},${DISK_ERROR_POLICY}`,
      '-device',
      `virtio-blk-pci,drive=${DISK_DRIVE_ID}`,
    );
  }
  return args;
}
