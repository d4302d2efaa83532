/**
 * Removes containers and volumes labelled benchvisor that a crashed run left
 * behind. Resources created by a process that is still alive on this host
 * (another Benchvisor instance), and those another machine created on a shared daemon (whether
 * its process lives cannot be told from here), are left alone unless `all` is set.
 */
import type Dockerode from 'dockerode';
import { LABEL_HOST, LABEL_PID, LABEL_RUN, OWNER_FILTER } from './labels';
import { pidAlive } from '../../process/pidAlive';
import { answerWithin, settleWithin } from '../../util/deadline';

/**
 * How long one daemon call of the sweep may take. A wedged daemon (a container it holds, e.g.
 * frozen with a kill on its way) never answers; the sweep runs before every first run, so an
 * unbounded call would hang every run's start.
 */
export const SWEEP_CALL_TIMEOUT_MS = 15_000;

export interface SweepOptions {
  /** This machine's name (the host probe's): resources labelled by another host are not ours. */
  hostname: string;
  /** Remove everything labelled benchvisor, even resources of live processes. */
  all?: boolean;
  /** Treat this pid as dead (tests simulate a crash of the current process with it). */
  deadPids?: number[];
  /** Bound on each daemon call (default SWEEP_CALL_TIMEOUT_MS). */
  callTimeoutMs?: number;
}

export interface SweepReport {
  containers: string[];
  volumes: string[];
  /** What could not be removed because the daemon did not answer, in words with the fix. */
  problems?: string[];
}

const DAEMON = 'the Docker daemon';

/** True when the labels say the creator may be alive: another host's, or a live process here. */
function ownedByLiveProcess(
  labels: Record<string, string> | undefined,
  opts: SweepOptions,
): boolean {
  if (opts.all) return false;
  const host = labels?.[LABEL_HOST];
  if (host !== undefined && host !== opts.hostname) return true;
  const pid = Number(labels?.[LABEL_PID]);
  if (host === undefined || !Number.isInteger(pid) || pid <= 0) return false;
  if (opts.deadPids?.includes(pid)) return false;
  return pidAlive(pid);
}

export async function sweepOrphans(docker: Dockerode, opts: SweepOptions): Promise<SweepReport> {
  const ms = opts.callTimeoutMs ?? SWEEP_CALL_TIMEOUT_MS;
  const report: SweepReport = { containers: [], volumes: [], problems: [] };
  /** Removes one resource; a call the daemon does not answer is reported, not waited for. */
  const remove = async (
    what: string,
    call: () => Promise<unknown>,
    done: string[],
    byHand: string,
  ) => {
    const r = await settleWithin(
      call().then(
        () => 'removed' as const,
        () => 'gone' as const, // removed meanwhile, or in use by a live session's container
      ),
      ms,
    );
    if (r === 'removed') done.push(what);
    else if (r === 'timeout')
      report.problems!.push(
        `${DAEMON} did not answer removing ${what} within ${ms / 1000} s (left; it may hold a frozen container: \`${byHand}\` once it answers)`,
      );
  };
  const containers = await answerWithin(
    docker.listContainers({ all: true, filters: OWNER_FILTER }),
    ms,
    `${DAEMON} (listing leftover containers)`,
  );
  for (const c of containers) {
    if (ownedByLiveProcess(c.Labels, opts)) continue;
    const name = c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);
    await remove(
      name,
      () => docker.getContainer(c.Id).remove({ force: true, v: true }),
      report.containers,
      `docker rm -f ${name}`,
    );
  }
  const { Volumes } = await answerWithin(
    docker.listVolumes({ filters: OWNER_FILTER }),
    ms,
    `${DAEMON} (listing leftover volumes)`,
  );
  for (const v of Volumes ?? []) {
    if (ownedByLiveProcess(v.Labels ?? undefined, opts)) continue;
    await remove(
      v.Name,
      () => docker.getVolume(v.Name).remove(),
      report.volumes,
      `docker volume rm ${v.Name}`,
    );
  }
  return report;
}

/** Everything labelled benchvisor (of one run when `runId` is given) that exists now. */
export async function listOwned(docker: Dockerode, runId?: string): Promise<SweepReport> {
  const filters =
    runId === undefined
      ? OWNER_FILTER
      : { label: [...OWNER_FILTER.label, `${LABEL_RUN}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return {
    containers: containers.map((c) => c.Id.slice(0, 12)),
    volumes: (Volumes ?? []).map((v) => v.Name),
  };
}
