/** Meta keys of a target's shape: the resolved variant fields and what the platform reports. */
import { z } from 'zod';
import { metaKey } from '../define';

export const SHAPE_KEYS = {
  accel: metaKey(
    z.enum(['tcg', 'kvm']),
    ['engine', 'qemu', 'unikernel'],
    'the accelerator asked for',
  ),
  vcpus: metaKey(
    z.number().nullable(),
    ['engine', 'native', 'docker', 'qemu', 'unikernel'],
    'CPUs the target had (host CPUs natively, the CPU limit of a container: null when unlimited)',
  ),
  cpus: metaKey(
    z.number().nullable(),
    ['native', 'docker'],
    'CPUs of the host or the container limit',
  ),
  cpuset: metaKey(z.string().nullable(), ['docker'], "the container's cpuset, null when none"),
  memoryMiB: metaKey(
    z.number().nullable(),
    ['engine', 'native', 'docker', 'qemu', 'unikernel'],
    'memory in MiB (null: a container without a limit)',
  ),
  shapeFrom: metaKey(
    z.enum(['qmp', 'config']),
    ['qemu'],
    'whether vCPUs and memory were read from QMP or taken from the config',
  ),
  diskFormat: metaKey(z.string(), ['engine', 'qemu', 'unikernel'], 'the disk image format'),
  diskSizeMiB: metaKey(z.number(), ['qemu', 'unikernel'], 'the disk image size in MiB'),
  cacheMode: metaKey(z.string(), ['engine', 'qemu', 'unikernel'], "QEMU's disk cache mode"),
  preallocation: metaKey(z.string(), ['engine', 'qemu', 'unikernel'], "the disk's preallocation"),
  diskAio: metaKey(z.string(), ['qemu'], "QEMU's aio backend for the disk"),
  diskCache: metaKey(
    z.object({ writeback: z.boolean(), direct: z.boolean(), noFlush: z.boolean() }),
    ['qemu'],
    "the disk's cache flags as QMP reports them",
  ),
  network: metaKey(z.string(), ['engine', 'docker'], "the container's network mode"),
  diskOn: metaKey(z.string(), ['engine', 'docker'], "where a container's disk target lives"),
};
