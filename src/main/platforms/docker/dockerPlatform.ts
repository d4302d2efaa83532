/**
 * The docker platform: a container per experiment on the local daemon, built
 * from the payload image (no registry), with the experiment's CPU and memory
 * limits; repetitions are execs with a TTY.
 */
import { rm } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { BenchmarkId } from '../../../shared/catalogue';
import type { ExperimentConfig } from '../../../shared/config';
import {
  FULL_OS_CAPABILITIES,
  type Availability,
  type Capability,
} from '../../../shared/platforms';
import { AppFailure } from '../../../shared/result';
import type { ProcessTracker } from '../../process/tracker';
import { createHostProbe, type HostProbe } from '../../host/hostProbe';
import type { AppPaths } from '../../util/appPaths';
import { benchPath, collectPayload, shortPayloadHash } from '../../payload';
import { describeBenchmarks, type DescribedCommand } from '../describeCommands';
import type { BenchmarkRunner } from '../../benchmarks/types';
import { scratchDirOf, targetScratchDir } from '../../util/targetScratch';
import { benchmarkSupport } from '../support';
import type { CollectOptions } from '../../payload';
import type { Platform, PlatformSession, PrepareContext, ToolVersionCommand } from '../platform';
import { containerName, containerSpec, DISK_TARGET, volumeName } from './containerSpec';
import { dockerRunArgv } from './dockerRunArgv';
import { createDockerClient, parseDockerHost } from './dockerClient';
import type { DockerEndpoint } from './dockerClient';
import { diskHostFacts, prepareDiskScratch } from './diskTarget';
import { servicePlace } from './containerServices';
import { DockerSession, type DockerSessionFacts } from './dockerSession';
import { ensurePayloadImage, IMAGE_REPOSITORY } from './imageBuilder';
import { resourceLabels } from './labels';
import { probeDocker, readDaemonFacts } from './probe';
import type { DaemonFacts } from './probe';
import { sweepOrphans } from './sweepOrphans';
import type { SweepOptions, SweepReport } from './sweepOrphans';

/** Stands for the run id in the command lines shown before a run exists. */
const RUN_ID_PLACEHOLDER = 'RUN_ID';
/** Stands for the port a service gets when it starts (host network: a free one). */
const DESCRIBE_PORT = 8080;

export const DOCKER_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES;

export interface DockerPlatformDeps {
  paths: Pick<AppPaths, 'benchBinDir'>;
  tracker: ProcessTracker;
  /** A client to use instead of one built from DOCKER_HOST (tests). */
  docker?: Dockerode;
  /** Environment to read DOCKER_HOST from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Payload options (where busybox and service programs are taken from). */
  payload?: CollectOptions;
  /** Benchmark runners: supports() asks their checks. */
  runners?: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  /**
   * The engine's host probe: the labels' hostname, the disk's host filesystem, the host CPU facts
   * (default: a probe of this machine, made once per platform).
   */
  host?: Pick<HostProbe, 'hostname' | 'cpuFacts' | 'filesystemOf'>;
}

/** A sweep's options; the hostname is the platform's host probe's. */
export type DockerSweepOptions = Omit<SweepOptions, 'hostname'>;

export interface DockerPlatform extends Platform {
  /** Removes containers/volumes left by crashed runs (call at engine start). */
  sweepOrphans(opts?: DockerSweepOptions): Promise<SweepReport>;
}

function unreachable(availability: Availability): AppFailure {
  return new AppFailure(
    'DAEMON_UNREACHABLE',
    `Docker is not available: ${availability.reason ?? 'the daemon does not answer'}. ${availability.fix ?? ''}`.trim(),
  );
}

/** Checks the guest shape against what the daemon can give (clear errors before creating anything). */
export function checkShape(
  config: Pick<ExperimentConfig, 'guest'>,
  facts: Pick<DaemonFacts, 'cpus' | 'memoryBytes'>,
): void {
  if (facts.cpus > 0 && config.guest.vcpus > facts.cpus) {
    throw new AppFailure(
      'INVALID_CONFIG',
      `guest.vcpus is ${config.guest.vcpus} but the Docker daemon's machine has only ${facts.cpus} CPUs; a container cannot be limited to more CPUs than exist`,
    );
  }
  const memoryBytes = config.guest.memoryMiB * 1024 * 1024;
  if (facts.memoryBytes > 0 && memoryBytes > facts.memoryBytes) {
    throw new AppFailure(
      'INVALID_CONFIG',
      `guest.memoryMiB is ${config.guest.memoryMiB} but the Docker daemon's machine has only ${Math.floor(facts.memoryBytes / 1048576)} MiB`,
    );
  }
}

async function checkBridge(docker: Dockerode): Promise<void> {
  try {
    await docker.getNetwork('bridge').inspect();
  } catch {
    throw new AppFailure(
      'UNAVAILABLE',
      'docker.network is "bridge" but the daemon has no default bridge network (it was started with --bridge=none, as on our CI machines). Choose docker.network = "host", or start dockerd without --bridge=none.',
    );
  }
}

/** The docker platform (one container per target on the local daemon). */
class DockerPlatformImpl implements DockerPlatform {
  readonly id = 'docker' as const;
  readonly capabilities = DOCKER_CAPABILITIES;
  // The daemon's own version is in every sample (dockerVersion); this is the client's.
  readonly tools: readonly ToolVersionCommand[] = [
    { name: 'docker', argv: ['docker', '--version'] },
  ];
  private readonly endpoint: DockerEndpoint | { error: string };
  private readonly docker: Dockerode | undefined;
  private readonly host: NonNullable<DockerPlatformDeps['host']>;

  constructor(private readonly deps: DockerPlatformDeps) {
    this.endpoint = deps.docker
      ? { kind: 'unix', socketPath: '(injected client)', display: 'injected client' }
      : parseDockerHost((deps.env ?? process.env).DOCKER_HOST);
    this.docker =
      deps.docker ?? ('error' in this.endpoint ? undefined : createDockerClient(this.endpoint));
    this.host = deps.host ?? createHostProbe();
  }

  probe(): Promise<Availability> {
    return probeDocker(this.docker, this.endpoint);
  }

  supports(benchmark: BenchmarkId): Promise<Availability> {
    return benchmarkSupport(benchmark, {
      benchBinDir: this.deps.paths.benchBinDir,
      runners: this.deps.runners,
    });
  }

  async sweepOrphans(opts: DockerSweepOptions = {}): Promise<SweepReport> {
    if (this.docker === undefined) return { containers: [], volumes: [] };
    return sweepOrphans(this.docker, { ...opts, hostname: this.host.hostname() });
  }

  private async requireDaemon(): Promise<{ docker: Dockerode; facts: DaemonFacts }> {
    const docker = this.docker;
    if (docker === undefined) throw unreachable(await probeDocker(docker, this.endpoint));
    try {
      return { docker, facts: await readDaemonFacts(docker) };
    } catch {
      throw unreachable(await probeDocker(docker, this.endpoint));
    }
  }

  /** The payload image (built once per payload hash, else reused), timed. */
  private async payloadImage(client: Dockerode, daemon: DaemonFacts, ctx: PrepareContext) {
    const files = await collectPayload(this.deps.paths, this.deps.payload);
    const hash = await shortPayloadHash(files);
    ctx.console.data(
      `[benchvisor] docker ${daemon.version} (${daemon.storageDriver}, cgroup v${daemon.cgroupVersion}): image ${IMAGE_REPOSITORY}:${hash}\r\n`,
    );
    const started = performance.now();
    const image = await ensurePayloadImage(client, files, hash, (line) =>
      ctx.console.data(`${line}\r\n`),
    );
    const imageMs = Math.round(performance.now() - started);
    ctx.log(
      'info',
      image.built ? `built docker image ${image.tag}` : `reusing docker image ${image.tag}`,
    );
    return { image, imageMs };
  }

  /** The target's container with its disk place (volume or scratch folder); undone on failure. */
  private async createContainer(
    client: Dockerode,
    ctx: PrepareContext,
    imageTag: string,
  ): Promise<{ container: Dockerode.Container; volume: string | null; scratchDir?: string }> {
    const { config, runId } = ctx;
    // One container (and volume) per target: a varied target's id joins the run id in their
    // names (the platform's only target keeps the run id alone, as before variants).
    const instance = ctx.target !== this.id ? `${runId}-${ctx.target}` : runId;
    const volume = config.docker.diskOn === 'volume' ? volumeName(instance) : null;
    const owner = { runId, hostname: this.host.hostname() };
    if (volume) await client.createVolume({ Name: volume, Labels: resourceLabels(owner) });
    const scratchDir =
      config.docker.diskOn === 'scratch' ? await prepareDiskScratch(scratchDirOf(ctx)) : undefined;
    try {
      const container = await client.createContainer(
        containerSpec(owner, config, imageTag, instance, scratchDir),
      );
      return { container, volume, ...(scratchDir ? { scratchDir } : {}) };
    } catch (e) {
      if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
      if (volume)
        await client
          .getVolume(volume)
          .remove()
          .catch(() => {});
      throw new AppFailure(
        'UNAVAILABLE',
        `docker could not create the container: ${(e as Error).message}`,
      );
    }
  }

  async prepare(ctx: PrepareContext): Promise<PlatformSession> {
    const { docker: client, facts: daemon } = await this.requireDaemon();
    const { config } = ctx;
    checkShape(config, daemon);
    if (config.docker.network === 'bridge') await checkBridge(client);
    const { image, imageMs } = await this.payloadImage(client, daemon, ctx);
    if (ctx.signal.aborted)
      throw new AppFailure('CANCELLED', 'cancelled before the container was created');
    const containerStarted = performance.now();
    const { container, volume, scratchDir } = await this.createContainer(client, ctx, image.tag);
    const facts: DockerSessionFacts = {
      dockerVersion: daemon.version,
      storageDriver: daemon.storageDriver,
      cgroupVersion: daemon.cgroupVersion,
      imageId: image.imageId,
      imageTag: image.tag,
      network: config.docker.network,
      diskOn: config.docker.diskOn,
      volume,
      ...(scratchDir ? { scratchDir } : {}),
      diskHost: await diskHostFacts(
        client,
        config.docker.diskOn,
        {
          scratchDir,
          volume,
          rootDir: daemon.rootDir,
        },
        this.host,
      ),
      imageBuilt: image.built,
      imageMs,
    };
    const session = new DockerSession({
      docker: client,
      container,
      tracker: this.deps.tracker,
      console: ctx.console,
      log: (level, message) => ctx.log(level, message),
      facts,
      host: this.host,
    });
    await this.start(session, container, ctx, () => {
      facts.containerStartMs = Math.round(performance.now() - containerStarted);
    });
    return session;
  }

  /** Starts the container and says its shape on the console; disposes it on failure. */
  private async start(
    session: DockerSession,
    container: Dockerode.Container,
    ctx: PrepareContext,
    started: () => void,
  ): Promise<void> {
    try {
      await container.start();
      started();
      if (ctx.signal.aborted)
        throw new AppFailure('CANCELLED', 'cancelled while the container started');
      const meta = await session.meta();
      ctx.console.data(
        `[benchvisor] container ${String(meta.containerId)}: ${String(meta.cpus)} CPUs, ${String(meta.memoryMiB)} MiB, network ${String(meta.network)}, disk on ${ctx.config.docker.diskOn}\r\n`,
      );
    } catch (e) {
      await session.dispose();
      if (e instanceof AppFailure) throw e;
      throw new AppFailure(
        'UNAVAILABLE',
        `docker could not start the container: ${(e as Error).message}`,
      );
    }
  }

  async describe(config: ExperimentConfig, target: string): Promise<DescribedCommand[]> {
    // RUN_ID stands for the run id (a placeholder that survives the name sanitising).
    const image = `${IMAGE_REPOSITORY}:<payload hash>`;
    const spec = containerSpec(
      { runId: RUN_ID_PLACEHOLDER, hostname: this.host.hostname() },
      config,
      image,
      RUN_ID_PLACEHOLDER,
      targetScratchDir('<run folder>', target),
    );
    const name = spec.name ?? containerName(RUN_ID_PLACEHOLDER);
    const out = [
      {
        title: 'Build the payload image locally (FROM scratch, nothing pulled)',
        argv: ['docker', 'build', '--tag', image, '-'],
      },
      // The very body prepare() sends to the daemon, as a command line.
      { title: 'Create the container with the guest shape', argv: dockerRunArgv(spec) },
    ];
    const benchmarks = await describeBenchmarks(config, this.deps.runners, {
      diskTarget: DISK_TARGET,
      service: (service, title) => {
        const place = servicePlace(service.name, config.docker.network, DESCRIBE_PORT);
        return {
          title: `${title} (in the container, fetched on 127.0.0.1)`,
          argv: [
            'docker',
            'exec',
            name,
            service.program.payloadPath,
            ...service.layout(place).startArgs,
          ],
        };
      },
      exec: (exec, title, benchmark) => ({
        title: `${title} (an exec with a TTY per repetition)`,
        argv: [
          'docker',
          'exec',
          '--interactive',
          '--tty',
          name,
          ...(exec ? [benchPath(exec.binary), ...exec.args] : [benchmark]),
        ],
      }),
    });
    return [...out, ...benchmarks];
  }
}

export function createDockerPlatform(deps: DockerPlatformDeps): DockerPlatform {
  return new DockerPlatformImpl(deps);
}
