/** Facts about the host recorded in every native sample's meta (from the host probe's facts). */
import type { HostFacts } from '../../../shared/agentProtocol';
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';

export function nativeMeta(facts: HostFacts): SampleMetaFields {
  return {
    platform: 'native',
    cpus: facts.cores,
    vcpus: facts.cores,
    cpuModel: facts.cpuModel,
    memoryMiB: facts.memoryMiB,
    kernel: facts.kernel,
  };
}
