/** Facts about the host recorded in every native sample's meta (from the host probe's facts). */
import type { HostFacts } from '../../../shared/agentProtocol';

export function nativeMeta(facts: HostFacts): Record<string, unknown> {
  return {
    platform: 'native',
    cpus: facts.cores,
    vcpus: facts.cores,
    cpuModel: facts.cpuModel,
    memoryMiB: facts.memoryMiB,
    kernel: facts.kernel,
  };
}
