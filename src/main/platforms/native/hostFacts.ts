/** Facts about the host recorded in every native sample's meta. */
import { cpus, release, totalmem } from 'node:os';

const MiB = 1024 * 1024;

export function nativeMeta(): Record<string, unknown> {
  const list = cpus();
  return {
    platform: 'native',
    cpus: list.length,
    vcpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / MiB),
    kernel: release(),
  };
}
