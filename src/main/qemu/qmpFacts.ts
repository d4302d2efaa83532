/**
 * What QEMU itself says about a running guest (truth, not the config):
 * query-cpus-fast (the vCPUs that exist), query-memory-size-summary (the RAM
 * the machine has) and query-block (the benchmark disk's cache flags as
 * opened). Each answer is optional: a failed query leaves its keys out.
 */
import type { QmpClient } from './qmp';

const BYTES_PER_MIB = 1024 * 1024;

export interface QmpGuestFacts {
  qmpVcpus?: number;
  qmpMemoryMiB?: number;
  /** The benchmark disk's cache flags from query-block (writeback, direct, no-flush). */
  qmpDiskCache?: { writeback: boolean; direct: boolean; noFlush: boolean };
}

interface BlockInfo {
  device?: string;
  qdev?: string;
  inserted?: {
    node_name?: string;
    cache?: { writeback?: boolean; direct?: boolean; 'no-flush'?: boolean };
  };
}

/** The block device with the given drive id (query-block lists devices by their -drive id). */
export function diskCacheOf(
  blocks: unknown,
  driveId: string,
): QmpGuestFacts['qmpDiskCache'] | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const b = (blocks as BlockInfo[]).find((x) => x.device === driveId);
  const c = b?.inserted?.cache;
  if (!c) return undefined;
  return {
    writeback: c.writeback === true,
    direct: c.direct === true,
    noFlush: c['no-flush'] === true,
  };
}

export async function readQmpGuestFacts(qmp: QmpClient, driveId: string): Promise<QmpGuestFacts> {
  const [cpus, memory, blocks] = await Promise.all([
    qmp.execute('query-cpus-fast').catch(() => null),
    qmp.execute('query-memory-size-summary').catch(() => null),
    qmp.execute('query-block').catch(() => null),
  ]);
  const facts: QmpGuestFacts = {};
  if (Array.isArray(cpus)) facts.qmpVcpus = cpus.length;
  const base = (memory as { 'base-memory'?: unknown } | null)?.['base-memory'];
  if (typeof base === 'number') facts.qmpMemoryMiB = Math.round(base / BYTES_PER_MIB);
  const cache = diskCacheOf(blocks, driveId);
  if (cache) facts.qmpDiskCache = cache;
  return facts;
}
