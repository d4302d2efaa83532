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
import { AppFailure } from '../../../shared/result';
import type { ProcessTracker } from '../../process/tracker';
import { benchPath, PAYLOAD_LAYOUT } from '../../payload';
import type { ServiceHandle, ServiceSpec } from '../../session/service';
import type { ConsoleSink, ExecRequest, ExecResult, PlatformSession } from '../platform';
import { startContainerService, type ServiceHost } from './containerServices';
import { DISK_TARGET } from './containerSpec';
import { runExec, type ExecOutcome } from './execRunner';
import { readContainerFile } from './containerFile';
import { RESULT_FILE_ENV, RESULT_MARKER, withResultCopy } from '../../benchmarks/resultLine';
import { commandHeader } from '../commandHeader';
import { settleWithin } from '../../util/deadline';

/** How long dispose() waits for the daemon to remove the container before leaving it (logged). */
const REMOVE_ANSWER_TIMEOUT_MS = 30_000;
/** How long pause() waits for a kill that is still on its way before leaving the container running. */
const KILL_BEFORE_PAUSE_TIMEOUT_MS = 10_000;

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

export class DockerSession implements PlatformSession {
  readonly diskTarget = DISK_TARGET;
  private current: Duplex | null = null;
  private disposed = false;
  private untrack: () => void = () => {};
  private cachedMeta: SampleMetaFields | null = null;
  /** Numbers the result-line copy files, so a stale copy never stands in for a later result. */
  private execCount = 0;

  /** What the session's services use of it (containerServices.ts). */
  private readonly services: ServiceHost;

  constructor(private readonly deps: DockerSessionDeps) {
    this.services = {
      container: deps.container,
      network: deps.facts.network,
      console: deps.console,
      run: (cmd, timeoutMs, signal) => this.runCommand(cmd, timeoutMs, signal, false),
      disposed: () => this.disposed,
    };
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

  async startService(spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle> {
    this.ensureLive();
    return startContainerService(this.services, spec, signal);
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
      const ended = await settleWithin(Promise.all([...this.kills]), KILL_BEFORE_PAUSE_TIMEOUT_MS);
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
    const id = this.deps.container.id.slice(0, 12);
    const removed = await settleWithin(
      this.deps.container.remove({ force: true, v: true }).catch(() => {
        /* already gone (404), or the daemon went away: sweepOrphans removes leftovers at the next start */
      }),
      REMOVE_ANSWER_TIMEOUT_MS,
    );
    if (removed === 'timeout')
      this.deps.log?.(
        'warn',
        `the Docker daemon did not answer removing container ${id} within ${REMOVE_ANSWER_TIMEOUT_MS / 1000} s: it is left (the next run's sweep removes it, or \`docker rm -f ${id}\`)`,
      );
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
