/**
 * One experiment's container: created with the experiment's limits, idle
 * (busybox sleep) between repetitions, each repetition an exec with a TTY.
 * dispose() removes the container and its volume.
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import { rm } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { HostProbe } from '../../host/hostProbe';
import type Dockerode from 'dockerode';
import { pack as tarPack } from 'tar-stream';
import { AppFailure } from '../../../shared/result';
import type { ProcessTracker } from '../../process/tracker';
import { benchPath, PAYLOAD_LAYOUT } from '../../payload';
import {
  serviceUrl,
  type ServiceHandle,
  type ServiceLayout,
  type ServicePlace,
  type ServiceSpec,
} from '../../session/service';
import type { ConsoleSink, ExecRequest, ExecResult, PlatformSession } from '../platform';
import { BRIDGE_SERVICE_PORT, DISK_TARGET } from './containerSpec';
import { killContainerProcesses, runExec } from './execRunner';
import type { ExecOutcome } from './execRunner';
import { freeLoopbackPort, LOOPBACK, waitForListener } from './ports';
import { readContainerFile } from './containerFile';
import { RESULT_FILE_ENV, RESULT_MARKER, withResultCopy } from '../../benchmarks/resultLine';
import { commandHeader } from '../commandHeader';

/** Parent of a service's prefix folder inside the container (config, pid, logs, temp files). */
const SERVICE_ROOT = '/var/lib';
/** How long a service gets to accept connections after it was started. */
const SERVICE_START_TIMEOUT_MS = 15_000;
/** How long a service gets to quit after its stop command before its processes are killed. */
const SERVICE_STOP_TIMEOUT_MS = 5_000;
/** How long pause() waits for a kill that is still on its way before leaving the container running. */
const KILL_BEFORE_PAUSE_TIMEOUT_MS = 10_000;
/** Block size used to generate a service's generated file (dd bs). */
const FILE_BLOCK_BYTES = 64 * 1024;
/** Generating that file (up to 1 GiB) must not take longer than this. */
const FILE_CREATE_TIMEOUT_MS = 120_000;

export interface DockerSessionFacts {
  dockerVersion: string;
  storageDriver: string;
  cgroupVersion: string;
  imageId: string;
  imageTag: string;
  network: 'host' | 'bridge';
  diskOn: 'scratch' | 'volume' | 'layer';
  volume: string | null;
  /** The run's scratch folder bind-mounted at /data (diskOn "scratch"); removed on dispose. */
  scratchDir?: string;
  /** Where the disk target is on the host and its filesystem (diskHostMeta keys). */
  diskHost?: SampleMetaFields;
  /** Whether this preparation built the image (false: reused by its payload hash), and the ms it took. */
  imageBuilt: boolean;
  imageMs: number;
  /** Host ms to create and start the container (set by prepare before the first meta()). */
  containerStartMs?: number;
}

export interface DockerSessionDeps {
  docker: Dockerode;
  container: Dockerode.Container;
  tracker: ProcessTracker;
  console: ConsoleSink;
  /** The run log (warnings about recovered result lines). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  facts: DockerSessionFacts;
  /** The engine's host probe: a container shares the host's kernel, so its CPU facts are the host's. */
  host: Pick<HostProbe, 'cpuFacts'>;
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

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms))),
  ]).finally(() => clearTimeout(timer));
}

export class DockerSession implements PlatformSession {
  readonly diskTarget = DISK_TARGET;
  private current: Duplex | null = null;
  private disposed = false;
  private untrack: () => void = () => {};
  private cachedMeta: SampleMetaFields | null = null;
  /** Numbers the result-line copy files, so a stale copy never stands in for a later result. */
  private execCount = 0;

  constructor(private readonly deps: DockerSessionDeps) {
    this.untrack = deps.tracker.track({
      label: `docker container ${deps.container.id.slice(0, 12)}`,
      kill: () => this.removeResources(),
    });
  }

  get containerId(): string {
    return this.deps.container.id;
  }

  private ensureLive(): void {
    if (this.disposed) throw new AppFailure('GUEST_FAILED', 'the docker session was disposed');
  }

  private runCommand(
    cmd: string[],
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    interactive: boolean,
    env?: string[],
  ): Promise<ExecOutcome> {
    return runExec(this.deps.container, {
      cmd,
      console: this.deps.console,
      ...(env ? { env } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(signal !== undefined ? { signal } : {}),
      ...(interactive ? { onStream: (s: Duplex | null) => (this.current = s) } : {}),
      onKill: (killed) => this.trackKill(killed),
    });
  }

  /** Kills (execs of their own) that have not ended: the container must not be paused before. */
  private readonly kills = new Set<Promise<void>>();

  private trackKill(killed: Promise<void>): void {
    this.kills.add(killed);
    void killed.finally(() => this.kills.delete(killed));
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    this.ensureLive();
    // The benchmark also writes its result line here: a TTY exec can lose a program's last
    // output (see resultCopy.ts for the native twin of this guard).
    const copyPath = `${PAYLOAD_LAYOUT.tmpDir}/benchvisor-result-${++this.execCount}.txt`;
    const argv = [benchPath(req.binary), ...req.args];
    this.deps.console.data(commandHeader('docker', argv));
    try {
      const out = await this.runCommand(argv, req.timeoutMs, req.signal, true, [
        `${RESULT_FILE_ENV}=${copyPath}`,
      ]);
      let stdout = out.output.replace(/\r\n/g, '\n');
      if (!out.failure && !stdout.includes(RESULT_MARKER)) {
        const copy = await readContainerFile(this.deps.container, copyPath).catch(() => null);
        const settled = withResultCopy(stdout, copy);
        stdout = settled.stdout;
        if (settled.recovered) {
          this.deps.log?.(
            'warn',
            `docker ${req.binary}: the TTY lost the result line; it was read from the container's result file instead`,
          );
        }
      }
      return out.failure
        ? { exitCode: out.exitCode, stdout, durationMs: out.durationMs, failure: out.failure }
        : { exitCode: out.exitCode, stdout, durationMs: out.durationMs };
    } catch (e) {
      return {
        exitCode: null,
        stdout: '',
        durationMs: 0,
        failure: { code: 'GUEST_FAILED', message: `docker exec failed: ${(e as Error).message}` },
      };
    }
  }

  write(data: string): boolean {
    if (this.current === null || this.current.destroyed) return false;
    this.current.write(data);
    return true;
  }

  private async createGeneratedFile(
    path: string,
    bytes: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const out = await this.runCommand(
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
      false,
    );
    if (out.failure || out.exitCode !== 0) {
      throw new AppFailure(
        'BENCHMARK_FAILED',
        `could not create ${path} in the container: ${out.failure?.message ?? `dd exited with ${out.exitCode}`}`,
      );
    }
  }

  /** The prefix folder (its folders and text files) as a tar unpacked into the container. */
  private async writePrefix(prefix: string, layout: ServiceLayout): Promise<void> {
    const pack = tarPack();
    const base = prefix.slice(prefix.lastIndexOf('/') + 1);
    for (const d of ['', ...layout.dirs])
      pack.entry({ name: d ? `${base}/${d}` : base, type: 'directory', mode: 0o755 });
    for (const f of layout.files) pack.entry({ name: `${base}/${f.path}`, mode: 0o644 }, f.content);
    pack.finalize();
    await this.deps.container.putArchive(pack as unknown as NodeJS.ReadableStream, {
      path: prefix.slice(0, prefix.lastIndexOf('/')) || '/',
    });
  }

  /** The service's own error log from the container (for failure messages). */
  private async errorLogTail(path: string | null): Promise<string> {
    if (path === null) return '';
    const out = await this.runCommand(
      ['/bin/busybox', 'tail', '-n', '5', path],
      5000,
      undefined,
      false,
    ).catch(() => null);
    return out?.output.replace(/\r\n/g, '\n').trim() ?? '';
  }

  private async hostPortOf(containerPort: number): Promise<number> {
    const info = await this.deps.container.inspect();
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

  async startService(spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle> {
    this.ensureLive();
    const bridge = this.deps.facts.network === 'bridge';
    const innerPort = bridge ? BRIDGE_SERVICE_PORT : await freeLoopbackPort();
    const place = servicePlace(spec.name, this.deps.facts.network, innerPort);
    const layout = spec.layout(place);
    await this.writePrefix(place.prefix, layout);
    if (layout.generated)
      await this.createGeneratedFile(
        `${place.prefix}/${layout.generated.path}`,
        layout.generated.bytes,
        signal,
      );

    const program = spec.program.payloadPath;
    // A service repetition starts with its command line too, as a benchmark's does.
    this.deps.console.data(commandHeader('docker', [program, ...layout.startArgs]));
    let ended = false;
    const running = this.runCommand(
      [program, ...layout.startArgs],
      undefined,
      undefined,
      false,
    ).finally(() => {
      ended = true;
    });
    const hostPort = bridge ? await this.hostPortOf(innerPort) : innerPort;
    const up = await waitForListener(
      hostPort,
      SERVICE_START_TIMEOUT_MS,
      () => ended || signal?.aborted === true,
    );
    if (!up) {
      const errorLog = await this.errorLogTail(
        layout.errorLog ? `${place.prefix}/${layout.errorLog}` : null,
      );
      await killContainerProcesses(this.deps.container).catch(() => {});
      const out = await withTimeout(running, SERVICE_STOP_TIMEOUT_MS);
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
        if (this.disposed) return;
        if (layout.stopArgs)
          await this.runCommand(
            [program, ...layout.stopArgs],
            SERVICE_STOP_TIMEOUT_MS,
            undefined,
            false,
          ).catch(() => null);
        if ((await withTimeout(running, SERVICE_STOP_TIMEOUT_MS)) === 'timeout') {
          await killContainerProcesses(this.deps.container).catch(() => {});
        }
      },
    };
  }

  async meta(): Promise<SampleMetaFields> {
    if (this.cachedMeta) return this.cachedMeta;
    const info = await this.deps.container.inspect();
    const hc = info.HostConfig;
    const cpus = hc.NanoCpus ? hc.NanoCpus / 1e9 : null;
    const memoryMiB = hc.Memory ? hc.Memory / (1024 * 1024) : null;
    const f = this.deps.facts;
    this.cachedMeta = {
      vcpus: cpus,
      cpus,
      cpuset: hc.CpusetCpus || null,
      memoryMiB,
      network: hc.NetworkMode,
      diskOn: f.diskOn,
      volume: f.volume,
      diskTarget: DISK_TARGET,
      dockerVersion: f.dockerVersion,
      storageDriver: f.storageDriver,
      cgroupVersion: f.cgroupVersion,
      imageId: f.imageId,
      image: f.imageTag,
      imageBuilt: f.imageBuilt,
      imageMs: f.imageMs,
      ...(f.containerStartMs !== undefined ? { containerStartMs: f.containerStartMs } : {}),
      containerId: info.Id.slice(0, 12),
      ...f.diskHost,
      // A container runs on the host's kernel: its clocksource, CPU and mitigations are the host's.
      ...(await this.deps.host.cpuFacts()),
      cpuFactsFrom: 'host kernel (shared by the container)',
    };
    return this.cachedMeta;
  }

  /** docker pause: the container's processes are frozen (cgroup freezer); exec waits for unpause. */
  async pause(): Promise<void> {
    this.ensureLive();
    // A kill still on its way (its exec not started yet) would wait for the frozen container for
    // good: wait for it, and leave the container running if it does not end in time.
    if (this.kills.size > 0) {
      const ended = await withTimeout(Promise.all([...this.kills]), KILL_BEFORE_PAUSE_TIMEOUT_MS);
      if (ended === 'timeout')
        throw new Error('a kill in the container has not ended: left running, not paused');
    }
    await this.deps.container.pause();
  }

  async resume(): Promise<void> {
    this.ensureLive();
    await this.deps.container.unpause();
  }

  /** Removes the container (killing everything in it) and its volume; never throws. */
  private async removeResources(): Promise<void> {
    try {
      await this.deps.container.remove({ force: true, v: true });
    } catch {
      /* already gone (404), or the daemon went away: sweepOrphans removes leftovers at the next start */
    }
    if (this.deps.facts.volume) {
      try {
        await this.deps.docker.getVolume(this.deps.facts.volume).remove();
      } catch {
        /* already gone, or still in use by a container that sweepOrphans will remove */
      }
    }
    if (this.deps.facts.scratchDir)
      await rm(this.deps.facts.scratchDir, { recursive: true, force: true }).catch(() => {});
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.current?.destroy();
    this.current = null;
    await this.removeResources();
    this.untrack();
  }
}
