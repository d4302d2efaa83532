/**
 * Is a Docker daemon answering? Never throws: an unreachable daemon comes back
 * with the reason (socket missing, permission denied, not answering) and the fix.
 */
import { access, constants, stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { Availability } from '../../../shared/platforms';
import type { DockerEndpoint } from './dockerClient';
import { answerWithin } from '../../util/deadline';

/** How long the daemon gets to answer a ping before we call it "not answering". */
export const PROBE_TIMEOUT_MS = 5000;

/** The commands that start a daemon (systemd hosts, and hosts without systemd like our CI). */
export const START_DAEMON_FIX =
  'Start the Docker daemon: "sudo systemctl start docker", or without systemd "sudo dockerd --bridge=none --iptables=false &" (scripts/dockerd-up.sh does that and waits for the socket).';

export interface DaemonFacts {
  version: string;
  apiVersion: string;
  cgroupVersion: string;
  storageDriver: string;
  operatingSystem: string;
  cpus: number;
  memoryBytes: number;
  /** The daemon's data root (/var/lib/docker): volumes and container layers live under it. */
  rootDir: string;
}

/** Reads version and info from the daemon (throws when it does not answer). */
export async function readDaemonFacts(
  docker: Dockerode,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DaemonFacts> {
  const [version, info] = await answerWithin(
    Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]),
    timeoutMs,
    'the Docker daemon',
  );
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    cgroupVersion: String(info.CgroupVersion ?? '1'),
    storageDriver: String(info.Driver ?? 'unknown'),
    operatingSystem: String(info.OperatingSystem ?? ''),
    cpus: Number(info.NCPU ?? 0),
    memoryBytes: Number(info.MemTotal ?? 0),
    rootDir: String(info.DockerRootDir ?? ''),
  };
}

/** Explains a connection error for a unix socket (checked on the file system first). */
async function explainUnixFailure(
  socketPath: string,
  error: unknown,
): Promise<{ reason: string; fix: string }> {
  try {
    await stat(socketPath);
  } catch {
    return {
      reason: `the Docker socket ${socketPath} does not exist: no daemon is running`,
      fix: START_DAEMON_FIX,
    };
  }
  try {
    await access(socketPath, constants.R_OK | constants.W_OK);
  } catch {
    return {
      reason: `permission denied on the Docker socket ${socketPath}`,
      fix: 'Add your user to the docker group ("sudo usermod -aG docker $USER", then log out and in again) or run as root.',
    };
  }
  const code = (error as { code?: string }).code;
  if (code === 'EACCES') {
    return {
      reason: `permission denied on the Docker socket ${socketPath}`,
      fix: 'Add your user to the docker group ("sudo usermod -aG docker $USER", then log out and in again) or run as root.',
    };
  }
  return {
    reason: `the Docker socket ${socketPath} exists but no daemon answers on it (${describeError(error)})`,
    fix: START_DAEMON_FIX,
  };
}

function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(error));
}

export async function probeDocker(
  docker: Dockerode | undefined,
  endpoint: DockerEndpoint | { error: string },
): Promise<Availability> {
  if ('error' in endpoint)
    return {
      available: false,
      reason: endpoint.error,
      fix: 'Unset DOCKER_HOST or set it to unix:///var/run/docker.sock.',
    };
  if (docker === undefined)
    return { available: false, reason: 'no Docker client could be created', fix: START_DAEMON_FIX };
  try {
    const facts = await readDaemonFacts(docker);
    return {
      available: true,
      details: {
        endpoint: endpoint.display,
        version: facts.version,
        apiVersion: facts.apiVersion,
        cgroupVersion: facts.cgroupVersion,
        storageDriver: facts.storageDriver,
        cpus: String(facts.cpus),
      },
    };
  } catch (error) {
    const explained =
      endpoint.kind === 'unix'
        ? await explainUnixFailure(endpoint.socketPath, error)
        : {
            reason: `the Docker daemon at ${endpoint.display} does not answer (${describeError(error)})`,
            fix: START_DAEMON_FIX,
          };
    return { available: false, ...explained, details: { endpoint: endpoint.display } };
  }
}
