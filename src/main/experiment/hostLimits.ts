/**
 * Host preflight: before a run folder exists and before the first platform
 * starts, the experiment's guest shape is checked against what this host can
 * give, and refused with the field named (INVALID_CONFIG; the CLI exits 2):
 * - guest memory of a virtual machine above the memory the host has available;
 * - vCPUs above the host's CPUs (a VM may overcommit when the config says
 *   `allowOvercommit`: the run then records it and a finding explains it;
 *   a container cannot: Docker refuses CPU limits above the host's);
 * - container limits (Docker's memory limit) above the host's memory;
 * - disk space: a VM's benchmark disk (its size when preallocated, else what
 *   the disk benchmark writes into it) above the free space of the guest scratch
 *   folder; what the disk benchmark writes on the host above the run folder's.
 * Which checks apply follows each platform's traits (kind, guest fields), so no
 * platform is named here. Host facts are passed in: tests inject them.
 */
import { readFileSync, statfsSync, existsSync } from 'node:fs';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { ResolvedBenchmark, ExperimentConfig } from '../../shared/config';
import { diskNeed } from '../../shared/diskFit';
import { PLATFORM_INFO, type PlatformId } from '../../shared/platforms';
import { err, ok, type Result } from '../../shared/result';

const MiB = 1024 * 1024;

export interface HostFacts {
  /** Logical CPUs this process may use. */
  cpus: number;
  memoryTotalBytes: number;
  /** Memory the host can give now (MemAvailable: free plus reclaimable cache). */
  memoryAvailableBytes: number;
  /** Free bytes for an unprivileged user on the file system holding `dir` (null: unknown). */
  freeBytes(dir: string): number | null;
  /** Where virtual machines keep their benchmark disk image. */
  guestScratchDir: string;
}

export interface PlannedPlatform {
  id: PlatformId;
  benchmarks: readonly ResolvedBenchmark[];
}

export interface HostProblem {
  /** The config field at fault ("guest.memoryMiB"). */
  field: string;
  message: string;
}

export interface VcpuOvercommit {
  platform: PlatformId;
  vcpus: number;
  hostCpus: number;
}

export interface HostCheck {
  problems: HostProblem[];
  /** VMs allowed to have more vCPUs than the host has CPUs (config.allowOvercommit). */
  overcommit: VcpuOvercommit[];
}

const mib = (bytes: number) => Math.floor(bytes / MiB);
const list = (ids: readonly PlatformId[]) => ids.join(', ');

/** Checks the planned platforms' guest shape against the host. */
export function checkHostLimits(
  config: Pick<ExperimentConfig, 'guest' | 'allowOvercommit'>,
  planned: readonly PlannedPlatform[],
  facts: HostFacts,
  runParentDir: string,
): HostCheck {
  const problems: HostProblem[] = [];
  const overcommit: VcpuOvercommit[] = [];
  const g = config.guest;
  const takes = (p: PlannedPlatform, field: 'vcpus' | 'memoryMiB' | 'diskSizeMiB') =>
    PLATFORM_INFO[p.id].guestFields.includes(field);
  const vms = planned.filter((p) => PLATFORM_INFO[p.id].kind === 'vm');
  const containers = planned.filter((p) => PLATFORM_INFO[p.id].kind === 'container');

  const vmMemory = vms.filter((p) => takes(p, 'memoryMiB')).map((p) => p.id);
  if (vmMemory.length > 0 && g.memoryMiB * MiB > facts.memoryAvailableBytes) {
    problems.push({
      field: 'guest.memoryMiB',
      message: `guest.memoryMiB: ${g.memoryMiB} MiB for ${list(vmMemory)} is more than this host can give: ${mib(facts.memoryAvailableBytes)} MiB available of ${mib(facts.memoryTotalBytes)} MiB`,
    });
  }
  const limited = containers.filter((p) => takes(p, 'memoryMiB')).map((p) => p.id);
  if (limited.length > 0 && g.memoryMiB * MiB > facts.memoryTotalBytes) {
    problems.push({
      field: 'guest.memoryMiB',
      message: `guest.memoryMiB: a ${g.memoryMiB} MiB memory limit for ${list(limited)} is above this host's ${mib(facts.memoryTotalBytes)} MiB`,
    });
  }

  if (g.vcpus > facts.cpus) {
    const vmCpus = vms.filter((p) => takes(p, 'vcpus')).map((p) => p.id);
    if (vmCpus.length > 0 && config.allowOvercommit) {
      for (const platform of vmCpus)
        overcommit.push({ platform, vcpus: g.vcpus, hostCpus: facts.cpus });
    } else if (vmCpus.length > 0) {
      problems.push({
        field: 'guest.vcpus',
        message: `guest.vcpus: ${g.vcpus} vCPUs for ${list(vmCpus)} is more than this host's ${facts.cpus} CPUs (set "allowOvercommit": true, or pass --allow-overcommit, to run them anyway: the results then say so)`,
      });
    }
    const cpuLimited = containers.filter((p) => takes(p, 'vcpus')).map((p) => p.id);
    if (cpuLimited.length > 0) {
      problems.push({
        field: 'guest.vcpus',
        message: `guest.vcpus: a ${g.vcpus}-CPU limit for ${list(cpuLimited)} is above this host's ${facts.cpus} CPUs (a container cannot be limited to more CPUs than exist; overcommit does not apply)`,
      });
    }
  }

  const vmDisks = vms.filter((p) => takes(p, 'diskSizeMiB'));
  const preallocated = g.preallocation === 'full' || g.preallocation === 'falloc';
  // A sparse image grows by what the disk benchmark writes; a preallocated one is whole at once.
  const imageMiB = Math.max(
    0,
    ...vmDisks.map((p) =>
      preallocated ? g.diskSizeMiB : Math.min(g.diskSizeMiB, diskNeed(p.benchmarks)?.mib ?? 0),
    ),
  );
  const scratchFree = imageMiB > 0 ? facts.freeBytes(facts.guestScratchDir) : null;
  if (scratchFree !== null && imageMiB * MiB > scratchFree) {
    problems.push({
      field: 'guest.diskSizeMiB',
      message: `guest.diskSizeMiB: a ${g.diskSizeMiB} MiB ${g.diskFormat} disk with preallocation=${g.preallocation} for ${list(vmDisks.map((p) => p.id))} needs ${imageMiB} MiB in ${facts.guestScratchDir}, which has ${mib(scratchFree)} MiB free`,
    });
  }
  const hosts = planned.filter((p) => PLATFORM_INFO[p.id].kind === 'host');
  for (const p of hosts) {
    const need = diskNeed(p.benchmarks);
    if (!need) continue;
    const free = facts.freeBytes(runParentDir);
    if (free !== null && need.mib * MiB > free) {
      problems.push({
        field: `benchmarks.${need.index}.params.${need.param}`,
        message: `benchmarks.${need.index}.params.${need.param}: ${need.benchmark} writes ${need.mib} MiB into the run folder on ${p.id}, but ${runParentDir} has ${mib(free)} MiB free`,
      });
    }
  }
  return { problems, overcommit };
}

/** MemAvailable from /proc/meminfo (bytes), or os.freemem() where there is none. */
function availableMemory(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return freemem();
}

/** Free space of the file system holding `dir` (its nearest existing ancestor). */
function freeBytes(dir: string): number | null {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    const s = statfsSync(d);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** This host's facts, read now. */
export function readHostFacts(guestScratchDir: string): HostFacts {
  return {
    cpus: availableParallelism(),
    memoryTotalBytes: totalmem(),
    memoryAvailableBytes: availableMemory(),
    freeBytes,
    guestScratchDir,
  };
}

/** One line per problem, for the refusal message. */
export function describeHostProblems(problems: readonly HostProblem[]): string {
  return problems.map((p) => p.message).join('\n');
}

/**
 * The preflight as the runner uses it: INVALID_CONFIG naming the fields when the host cannot
 * give what the config asks, else the vCPU overcommits the config allowed (to be recorded).
 */
export function hostPreflight(
  config: Pick<ExperimentConfig, 'guest' | 'allowOvercommit'>,
  planned: readonly PlannedPlatform[],
  facts: HostFacts,
  runParentDir: string,
): Result<VcpuOvercommit[]> {
  const check = checkHostLimits(config, planned, facts, runParentDir);
  if (check.problems.length === 0) return ok(check.overcommit);
  return err(
    'INVALID_CONFIG',
    `this host cannot give what the experiment asks:\n${describeHostProblems(check.problems)}`,
    { problems: check.problems },
  );
}
