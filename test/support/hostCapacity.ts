/**
 * Constructed host facts for the host checks (HostCapacity), so that tests of memory, CPU and
 * disk limits never depend on the machine they run on.
 */
import type { HostCapacity } from '../../src/main/host/hostCapacity';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Issue #9's machine: 2 CPUs, 24 GiB (22 GiB available), 79 GB free; fields overridden. */
export function issueHost(over: Partial<HostCapacity> = {}): HostCapacity {
  return {
    cpus: 2,
    memoryTotalBytes: 24 * GiB,
    memoryAvailableBytes: 22 * GiB,
    freeBytes: () => 79e9,
    ...over,
  };
}

/** 1000 MiB available of 2000 on 2 CPUs: a 512 and a 513 MiB guest fit one at a time, not together. */
export function smallHost(over: Partial<HostCapacity> = {}): HostCapacity {
  return issueHost({ memoryTotalBytes: 2000 * MiB, memoryAvailableBytes: 1000 * MiB, ...over });
}
