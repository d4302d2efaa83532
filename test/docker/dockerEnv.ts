/**
 * Test setup for the docker tests: a real daemon is required. When none
 * answers, scripts/dockerd-up.sh starts one (as .ci/run does); when that fails
 * too, the tests fail loudly, unless BENCHVISOR_SKIP_DOCKER=1 says to skip.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import type { TestContext } from 'vitest';
import { createDockerClient, parseDockerHost, probeDocker } from '../../src/main/platforms/docker';
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
