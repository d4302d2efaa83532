/**
 * Test setup for the docker tests: a real daemon is required. When none
 * answers, scripts/dockerd-up.sh starts one (as .ci/run does); when that fails
 * too, the tests fail loudly, unless BENCHVISOR_SKIP_DOCKER=1 says to skip.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, beforeEach, expect, type TestContext } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import {
  createDockerClient,
  createDockerPlatform,
  listOwned,
  parseDockerHost,
  probeDocker,
} from '../../src/main/platforms/docker';
import type { DockerSession } from '../../src/main/platforms/docker/dockerSession';
import { ProcessTracker } from '../../src/main/process/tracker';
import { skipBecause } from '../support/skip';

const execFileAsync = promisify(execFile);

export const ROOT = join(import.meta.dirname, '..', '..');
export const BENCH_BIN_DIR = join(ROOT, 'resources', 'bench', 'build');
export const SKIP_DOCKER = process.env.BENCHVISOR_SKIP_DOCKER === '1';
const SKIP_DOCKER_REASON =
  'BENCHVISOR_SKIP_DOCKER=1: this runner opted out of the real-daemon docker tests';

/**
 * For `beforeEach` of every real-daemon suite: skips each test with the reason when the runner
 * opted out (the suite's beforeAll returns early then, so no daemon is asked for).
 */
export function skipWhenDockerOptedOut(ctx: TestContext): void {
  if (SKIP_DOCKER) skipBecause(ctx, SKIP_DOCKER_REASON);
}

/** Builds the benchmark binaries when missing (the tests use the real ones). */
export async function ensureBenchBuilt(): Promise<void> {
  const names = ['linpack', 'memsweep', 'diskwrite', 'forksum', 'syscall'];
  if (names.every((n) => existsSync(join(BENCH_BIN_DIR, n)))) return;
  await execFileAsync('bash', [join(ROOT, 'scripts', 'build-bench.sh')], { cwd: ROOT });
}

/** A client for the daemon the tests use; starts one when none answers. */
export async function requireDaemon(): Promise<Dockerode> {
  const endpoint = parseDockerHost(process.env.DOCKER_HOST);
  if ('error' in endpoint) throw new Error(endpoint.error);
  const docker = createDockerClient(endpoint);
  let availability = await probeDocker(docker, endpoint);
  if (!availability.available) {
    try {
      await execFileAsync('bash', [join(ROOT, 'scripts', 'dockerd-up.sh')], { cwd: ROOT });
    } catch (e) {
      const out = e as { stdout?: string; stderr?: string };
      throw new Error(
        `No Docker daemon answers and scripts/dockerd-up.sh could not start one (set BENCHVISOR_SKIP_DOCKER=1 to skip the docker tests):\n${out.stdout ?? ''}${out.stderr ?? ''}`,
        { cause: e },
      );
    }
    availability = await probeDocker(docker, endpoint);
  }
  if (!availability.available) {
    throw new Error(
      `No Docker daemon for the docker tests: ${availability.reason}. ${availability.fix} (set BENCHVISOR_SKIP_DOCKER=1 to skip)`,
    );
  }
  return docker;
}

/** Parses the benchmark's result line out of console/stdout text. */
export function resultLine(
  stdout: string,
): { benchmark: string; metrics: Record<string, number> } | null {
  const line = stdout.split('\n').find((l) => l.startsWith('@@BENCHVISOR '));
  if (!line) return null;
  return JSON.parse(line.slice('@@BENCHVISOR '.length).trim()) as {
    benchmark: string;
    metrics: Record<string, number>;
  };
}

export interface DockerSuite {
  readonly docker: Dockerode;
  readonly runDir: string;
  readonly tracker: ProcessTracker;
  /** A prepared session of the docker platform for a syscall config, labelled for `runId`. */
  syscallSession(runId: string): Promise<DockerSession>;
  /** Asserts that nothing labelled for `runId` is left and that no tracked process remains. */
  expectNothingLeft(runId: string): Promise<void>;
}

/**
 * A real-daemon suite's daemon client, run folder (`<tmp>/<prefix>…`) and process tracker, made
 * in beforeAll and cleaned up in afterAll (each test skipped when the runner opted out): call it
 * in the describe block.
 */
export function dockerSuite(prefix: string): DockerSuite {
  let docker: Dockerode | undefined;
  let runDir = '';
  const tracker = new ProcessTracker();
  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
    await ensureBenchBuilt();
    runDir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (SKIP_DOCKER) return;
    await tracker.killAll();
    await rm(runDir, { recursive: true, force: true });
  });
  const daemon = (): Dockerode => {
    if (!docker) throw new Error('no docker daemon: the suite did not start');
    return docker;
  };
  return {
    get docker() {
      return daemon();
    },
    get runDir() {
      return runDir;
    },
    tracker,
    async syscallSession(runId) {
      const parsed = parseExperimentConfig({ platforms: ['docker'], benchmarks: ['syscall'] });
      if (!parsed.ok) throw new Error(parsed.message);
      const platform = createDockerPlatform({
        paths: { benchBinDir: BENCH_BIN_DIR },
        tracker,
        docker: daemon(),
      });
      return (await platform.prepare({
        runId,
        target: platform.id,
        config: parsed.config,
        runDir,
        console: { data: () => {} },
        log: () => {},
        signal: new AbortController().signal,
      })) as DockerSession;
    },
    async expectNothingLeft(runId) {
      const left = await listOwned(daemon(), runId);
      expect([...left.containers, ...left.volumes]).toEqual([]);
      expect(tracker.size).toBe(0);
    },
  };
}
