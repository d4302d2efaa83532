/**
 * Connection settings for the Docker daemon: DOCKER_HOST (unix:// or tcp://)
 * or the default socket. Kept separate so probe messages can name the socket.
 */
import Dockerode from 'dockerode';

/** Where dockerd listens by default on Linux. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; display: string };

/** Parses DOCKER_HOST; returns an error message for forms we do not support. */
export function parseDockerHost(value: string | undefined): DockerEndpoint | { error: string } {
  if (value === undefined || value.trim() === '') {
    return {
      kind: 'unix',
      socketPath: DEFAULT_DOCKER_SOCKET,
      display: `unix://${DEFAULT_DOCKER_SOCKET}`,
    };
  }
  const v = value.trim();
  if (v.startsWith('unix://')) {
    const socketPath = v.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET;
    return { kind: 'unix', socketPath, display: `unix://${socketPath}` };
  }
  if (v.startsWith('/')) return { kind: 'unix', socketPath: v, display: `unix://${v}` };
  const tcp = /^(?:tcp|http):\/\/\[?([^\]/]+?)\]?:(\d+)\/?$/.exec(v);
  if (tcp) {
    const host = tcp[1] ?? '';
    const port = Number(tcp[2]);
    return { kind: 'tcp', host, port, display: `tcp://${host}:${port}` };
  }
  return {
    error: `DOCKER_HOST="${v}" is not understood (expected unix:///path/to/docker.sock or tcp://host:port)`,
  };
}

/** A dockerode client for an endpoint (no request is sent until used). */
export function createDockerClient(endpoint: DockerEndpoint): Dockerode {
  return endpoint.kind === 'unix'
    ? new Dockerode({ socketPath: endpoint.socketPath })
    : new Dockerode({ host: endpoint.host, port: endpoint.port, protocol: 'http' });
}
