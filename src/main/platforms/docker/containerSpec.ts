/**
 * Pure translation of an experiment's guest shape and docker options into the
 * Docker API's container-create body ("same shape on every platform").
 */
import type Dockerode from 'dockerode';
import type { ExperimentConfig } from '../../../shared/config';
import { PAYLOAD_LAYOUT } from '../../payload';
import { IDLE_COMMAND } from './buildContext';
import { resourceLabels, type ResourceOwner } from './labels';

const NANO_CPUS_PER_CPU = 1e9;
const BYTES_PER_MIB = 1024 * 1024;
/** Port a service listens on inside the container in bridge mode (published on 127.0.0.1). */
export const BRIDGE_SERVICE_PORT = 8080;
/** The file the disk benchmark writes: on the volume when one is mounted at /data, else on the layer. */
export const DISK_TARGET = `${PAYLOAD_LAYOUT.dataDir}/disk-target.bin`;

export function containerName(runId: string): string {
  return `benchvisor-${runId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
}

export function volumeName(runId: string): string {
  return `${containerName(runId)}-data`;
}

/** The disk target's mount: the run's scratch folder (bind), a named volume, or none (layer). */
function diskMounts(
  runId: string,
  diskOn: ExperimentConfig['docker']['diskOn'],
  scratchDir: string | undefined,
): { Mounts: Dockerode.MountSettings[] } | Record<string, never> {
  if (diskOn === 'volume')
    return {
      Mounts: [{ Type: 'volume', Source: volumeName(runId), Target: PAYLOAD_LAYOUT.dataDir }],
    };
  if (diskOn === 'scratch') {
    if (!scratchDir) throw new Error('docker.diskOn "scratch" needs the run\'s scratch folder');
    return { Mounts: [{ Type: 'bind', Source: scratchDir, Target: PAYLOAD_LAYOUT.dataDir }] };
  }
  return {};
}

export function containerSpec(
  /** The run and host the container's labels name. */
  owner: ResourceOwner,
  config: Pick<ExperimentConfig, 'guest' | 'docker'>,
  image: string,
  /** Names the container and volume (the run id, plus the target id when variants run). */
  instance: string = owner.runId,
  /** Host folder bind-mounted at /data when docker.diskOn is "scratch". */
  scratchDir?: string,
): Dockerode.ContainerCreateOptions {
  const memory = config.guest.memoryMiB * BYTES_PER_MIB;
  const bridge = config.docker.network === 'bridge';
  const portKey = `${BRIDGE_SERVICE_PORT}/tcp`;
  return {
    name: containerName(instance),
    Image: image,
    Cmd: IDLE_COMMAND,
    Labels: resourceLabels(owner),
    Hostname: 'benchvisor',
    WorkingDir: '/',
    ...(bridge ? { ExposedPorts: { [portKey]: {} } } : {}),
    HostConfig: {
      NanoCpus: config.guest.vcpus * NANO_CPUS_PER_CPU,
      Memory: memory,
      // Same as Memory: no swap beyond the limit, like a guest with that much RAM.
      MemorySwap: memory,
      NetworkMode: config.docker.network,
      ...(bridge ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
      ...diskMounts(instance, config.docker.diskOn, scratchDir),
      AutoRemove: false,
    },
  };
}
