/**
 * A service (a web server a benchmark loads) in a session's container: its prefix folder
 * unpacked as a tar, its generated file made with dd, the program started as an exec and reached
 * through a loopback port (host network) or the port the container publishes (bridge); stopped
 * by its stop command, else killed.
 */
import type Dockerode from 'dockerode';
import { pack as tarPack } from 'tar-stream';
import { AppFailure } from '../../../shared/result';
import {
  serviceUrl,
  type ServiceHandle,
  type ServiceLayout,
  type ServicePlace,
  type ServiceSpec,
} from '../../session/service';
import { settleWithin } from '../../util/deadline';
import { commandHeader } from '../commandHeader';
import type { ConsoleSink } from '../platform';
import { BRIDGE_SERVICE_PORT } from './containerSpec';
import { killContainerProcesses, type ExecOutcome } from './execRunner';
import { freeLoopbackPort, LOOPBACK, waitForListener } from './ports';

/** Parent of a service's prefix folder inside the container (config, pid, logs, temp files). */
const SERVICE_ROOT = '/var/lib';
/** How long a service gets to accept connections after it was started. */
const SERVICE_START_TIMEOUT_MS = 15_000;
/** How long a service gets to quit after its stop command before its processes are killed. */
const SERVICE_STOP_TIMEOUT_MS = 5_000;
/** Block size used to generate a service's generated file (dd bs). */
const FILE_BLOCK_BYTES = 64 * 1024;
/** Generating that file (up to 1 GiB) must not take longer than this. */
const FILE_CREATE_TIMEOUT_MS = 120_000;
/** How long the service's error log may take to read for a failure message. */
const ERROR_LOG_TIMEOUT_MS = 5_000;

/** What a service needs of its session. */
export interface ServiceHost {
  container: Dockerode.Container;
  network: 'host' | 'bridge';
  console: ConsoleSink;
  /** A non-interactive exec in the container (the session's, so its kills are tracked). */
  run(cmd: string[], timeoutMs: number | undefined, signal?: AbortSignal): Promise<ExecOutcome>;
  /** The session was disposed (its container is gone: nothing to stop). */
  disposed(): boolean;
}

/** Where a service lives in the container (startService, and describe() shows the same). */
export function servicePlace(name: string, network: 'host' | 'bridge', port: number): ServicePlace {
  return {
    prefix: `${SERVICE_ROOT}/benchvisor-${name}`,
    // Bridge: reached through the published port; host network: loopback only.
    listenAddress: network === 'bridge' ? '0.0.0.0' : LOOPBACK,
    port: network === 'bridge' ? BRIDGE_SERVICE_PORT : port,
    // As on the native platform when run as root: the container's only user is root.
    asRoot: true,
    logRequests: false,
  };
}

async function createGeneratedFile(
  host: ServiceHost,
  path: string,
  bytes: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const out = await host.run(
    [
      '/bin/busybox',
      'dd',
      'if=/dev/urandom',
      `of=${path}`,
      `bs=${FILE_BLOCK_BYTES}`,
      `count=${bytes}`,
      'iflag=count_bytes',
    ],
    FILE_CREATE_TIMEOUT_MS,
    signal,
  );
  if (out.failure || out.exitCode !== 0) {
    throw new AppFailure(
      'BENCHMARK_FAILED',
      `could not create ${path} in the container: ${out.failure?.message ?? `dd exited with ${out.exitCode}`}`,
    );
  }
}

/** The prefix folder (its folders and text files) as a tar unpacked into the container. */
async function writePrefix(
  container: Dockerode.Container,
  prefix: string,
  layout: ServiceLayout,
): Promise<void> {
  const pack = tarPack();
  const base = prefix.slice(prefix.lastIndexOf('/') + 1);
  for (const d of ['', ...layout.dirs])
    pack.entry({ name: d ? `${base}/${d}` : base, type: 'directory', mode: 0o755 });
  for (const f of layout.files) pack.entry({ name: `${base}/${f.path}`, mode: 0o644 }, f.content);
  pack.finalize();
  await container.putArchive(pack as unknown as NodeJS.ReadableStream, {
    path: prefix.slice(0, prefix.lastIndexOf('/')) || '/',
  });
}

/** The service's own error log from the container (for failure messages). */
async function errorLogTail(host: ServiceHost, path: string | null): Promise<string> {
  if (path === null) return '';
  const out = await host
    .run(['/bin/busybox', 'tail', '-n', '5', path], ERROR_LOG_TIMEOUT_MS)
    .catch(() => null);
  return out?.output.replace(/\r\n/g, '\n').trim() ?? '';
}

async function hostPortOf(container: Dockerode.Container, containerPort: number): Promise<number> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports[`${containerPort}/tcp`]?.[0];
  const port = Number(binding?.HostPort);
  if (!binding || !Number.isInteger(port) || port <= 0) {
    throw new AppFailure(
      'UNAVAILABLE',
      `container port ${containerPort} is not published on the host`,
    );
  }
  return port;
}

/** Starts the service and waits until it accepts connections (else kills it, with the reason). */
export async function startContainerService(
  host: ServiceHost,
  spec: ServiceSpec,
  signal?: AbortSignal,
): Promise<ServiceHandle> {
  const bridge = host.network === 'bridge';
  const innerPort = bridge ? BRIDGE_SERVICE_PORT : await freeLoopbackPort();
  const place = servicePlace(spec.name, host.network, innerPort);
  const layout = spec.layout(place);
  await writePrefix(host.container, place.prefix, layout);
  if (layout.generated)
    await createGeneratedFile(
      host,
      `${place.prefix}/${layout.generated.path}`,
      layout.generated.bytes,
      signal,
    );

  const program = spec.program.payloadPath;
  // A service repetition starts with its command line too, as a benchmark's does.
  host.console.data(commandHeader('docker', [program, ...layout.startArgs]));
  let ended = false;
  const running = host.run([program, ...layout.startArgs], undefined).finally(() => {
    ended = true;
  });
  const hostPort = bridge ? await hostPortOf(host.container, innerPort) : innerPort;
  const up = await waitForListener(
    hostPort,
    SERVICE_START_TIMEOUT_MS,
    () => ended || signal?.aborted === true,
  );
  if (!up) {
    const errorLog = await errorLogTail(
      host,
      layout.errorLog ? `${place.prefix}/${layout.errorLog}` : null,
    );
    await killContainerProcesses(host.container).catch(() => {});
    const out = await settleWithin(running, SERVICE_STOP_TIMEOUT_MS);
    const detail = [
      out === 'timeout' ? '' : `exit ${out.exitCode}: ${out.output.trim().slice(-300)}`,
      errorLog,
    ]
      .filter((x) => x !== '')
      .join('; ');
    throw new AppFailure(
      'BENCHMARK_FAILED',
      `${spec.name} did not start listening on ${LOOPBACK}:${hostPort} in the container${detail ? ` (${detail})` : ''}`,
    );
  }
  let stopped = false;
  return {
    url: serviceUrl(LOOPBACK, hostPort, layout.urlPath),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (host.disposed()) return;
      if (layout.stopArgs)
        await host.run([program, ...layout.stopArgs], SERVICE_STOP_TIMEOUT_MS).catch(() => null);
      if ((await settleWithin(running, SERVICE_STOP_TIMEOUT_MS)) === 'timeout') {
        await killContainerProcesses(host.container).catch(() => {});
      }
    },
  };
}
