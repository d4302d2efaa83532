/**
 * Removes containers and volumes labelled benchvisor that a crashed run left
 * behind. Resources created by a process that is still alive on this host
 * (another Benchvisor instance), and those another machine created on a shared daemon (whether
 * its process lives cannot be told from here), are left alone unless `all` is set.
 */
import type Dockerode from 'dockerode';
import { LABEL_HOST, LABEL_PID, LABEL_RUN, OWNER_FILTER } from './labels';
import { pidAlive } from '../../process/pidAlive';

export interface SweepOptions {
  /** This machine's name (the host probe's): resources labelled by another host are not ours. */
  hostname: string;
  /** Remove everything labelled benchvisor, even resources of live processes. */
  all?: boolean;
  /** Treat this pid as dead (tests simulate a crash of the current process with it). */
  deadPids?: number[];
}

export interface SweepReport {
  containers: string[];
  volumes: string[];
}

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
  const report: SweepReport = { containers: [], volumes: [] };
  const containers = await docker.listContainers({ all: true, filters: OWNER_FILTER });
  for (const c of containers) {
    if (ownedByLiveProcess(c.Labels, opts)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      report.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
    } catch {
      /* removed meanwhile */
    }
  }
  const { Volumes } = await docker.listVolumes({ filters: OWNER_FILTER });
  for (const v of Volumes ?? []) {
    if (ownedByLiveProcess(v.Labels ?? undefined, opts)) continue;
    try {
      await docker.getVolume(v.Name).remove();
      report.volumes.push(v.Name);
    } catch {
      /* in use by a live session's container, or removed meanwhile */
    }
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
