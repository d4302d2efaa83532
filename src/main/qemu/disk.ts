/** The benchmark disk: a raw or qcow2 image made with qemu-img. */
import type { GuestShape } from '../../shared/config';
import { AppFailure } from '../../shared/result';
import type { HostCommands } from './commands';

/** The guest shape's own enums (shared/config.ts), not a second copy. */
export type DiskFormat = GuestShape['diskFormat'];
export type CacheMode = GuestShape['cacheMode'];
export type Preallocation = GuestShape['preallocation'];

export interface DiskSpec {
  path: string;
  format: DiskFormat;
  sizeMiB: number;
  preallocation: Preallocation;
}

/** The device the guest sees: the benchmark disk is the only virtio-blk device. */
export const GUEST_DISK_DEVICE = '/dev/vda';

/** qemu-img arguments for the spec; raw images have no metadata to preallocate. */
export function qemuImgCreateArgs(spec: DiskSpec): string[] {
  if (spec.format === 'raw' && spec.preallocation === 'metadata') {
    throw new AppFailure(
      'INVALID_CONFIG',
      'guest.preallocation: "metadata" applies to qcow2 only; a raw disk takes off, falloc or full',
    );
  }
  const args = ['create', '-q', '-f', spec.format];
  if (spec.preallocation !== 'off') args.push('-o', `preallocation=${spec.preallocation}`);
  args.push(spec.path, `${spec.sizeMiB}M`);
  return args;
}

export async function createDiskImage(
  commands: HostCommands,
  spec: DiskSpec,
  qemuImg = 'qemu-img',
  signal?: AbortSignal,
): Promise<void> {
  const args = qemuImgCreateArgs(spec);
  const res = await commands.run(qemuImg, args, { signal });
  if (res.aborted) throw new AppFailure('CANCELLED', 'cancelled while creating the guest disk');
  if (res.spawnError)
    throw new AppFailure(
      'TOOL_MISSING',
      `${res.spawnError}; install it: apt-get install qemu-utils`,
    );
  if (res.code !== 0) {
    throw new AppFailure(
      'IO_ERROR',
      `qemu-img ${args.join(' ')} failed: ${res.stderr.trim() || `exit ${res.code}`}`,
    );
  }
}
