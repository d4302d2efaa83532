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
 *   the disk benchmark writes into it) above the free space of the run folder's file
 *   system (the image is written to <run>/scratch/<target>, not $TMPDIR);
 *   what the disk benchmark writes on the host above the run folder's.
 * Which checks apply follows each platform's traits (kind, guest fields), so no
 * platform is named here. The host's capacity is passed in (HostProbe.capacity(),
 * hostCapacity.ts): tests inject it.
 */
import type { ResolvedBenchmark, ExperimentConfig, GuestShape } from '../../shared/config';
import { diskNeed } from '../../shared/diskFit';
import { PLATFORM_INFO, type PlatformId } from '../../shared/platforms';
import { err, ok, type Result } from '../../shared/result';
import type { Target } from '../../shared/targets';
import type { HostCapacity } from './hostCapacity';

const MiB = 1024 * 1024;

/** A target the plan will run, with the benchmarks it will run (plan.ts PlannedTarget). */
export interface PlannedTargetLoad {
  target: Pick<Target, 'id' | 'platform' | 'guest'>;
  benchmarks: readonly ResolvedBenchmark[];
}

export interface HostProblem {
  /** The config field at fault ("guest.memoryMiB"). */
  field: string;
  message: string;
}

export interface VcpuOvercommit {
  platform: PlatformId;
  /** The target (its id when its shape varies; absent: the platform is the target). */
  target?: string;
  vcpus: number;
  hostCpus: number;
}

export interface HostCheck {
  problems: HostProblem[];
  /** VMs allowed to have more vCPUs than the host has CPUs (config.allowOvercommit). */
  overcommit: VcpuOvercommit[];
}

const mib = (bytes: number) => Math.floor(bytes / MiB);
const list = (ids: readonly string[]) => ids.join(', ');

/** A planned target with the guest shape it runs with; `name` is how messages call it. */
export interface PlannedTarget {
  /** The target's platform. */
  id: PlatformId;
  benchmarks: readonly ResolvedBenchmark[];
  guest: GuestShape;
  name: string;
  /** The target id when it is not the platform's. */
  target?: string;
}

/** The plan's targets as the checks read them, each with its own guest shape. */
export function plannedTargets(planned: readonly PlannedTargetLoad[]): PlannedTarget[] {
  return planned.map(({ target: t, benchmarks }) => ({
    id: t.platform,
    benchmarks,
    guest: t.guest,
    name: t.id,
    ...(t.id !== t.platform ? { target: t.id } : {}),
  }));
}

/** Targets grouped by a value of their shape, in first-seen order (one message per value). */
function byValue<K>(targets: readonly PlannedTarget[], key: (t: PlannedTarget) => K) {
  const groups = new Map<string, { value: K; targets: PlannedTarget[] }>();
  for (const t of targets) {
    const value = key(t);
    const k = JSON.stringify(value);
    const g = groups.get(k) ?? { value, targets: [] };
    g.targets.push(t);
    groups.set(k, g);
  }
  return [...groups.values()];
}

export const takes = (p: PlannedTarget, field: 'vcpus' | 'memoryMiB' | 'diskSizeMiB') =>
  PLATFORM_INFO[p.id].guestFields.includes(field);
export const ofKind = (ts: readonly PlannedTarget[], kind: 'vm' | 'container' | 'host') =>
  ts.filter((p) => PLATFORM_INFO[p.id].kind === kind);
const names = (ts: readonly PlannedTarget[]) => list(ts.map((t) => t.name));

/**
 * Checks every planned target's guest shape against the host: a list of variant values is
 * checked value by value (each target with its own shape), whatever its order.
 */
export function checkHostLimits(
  config: Pick<ExperimentConfig, 'allowOvercommit'>,
  planned: readonly PlannedTargetLoad[],
  facts: HostCapacity,
  runParentDir: string,
): HostCheck {
  const targets = plannedTargets(planned);
  const problems = memoryProblems(targets, facts);
  const cpus = checkCpus(targets, facts, config.allowOvercommit);
  problems.push(...cpus.problems, ...diskProblems(targets, facts, runParentDir));
  return { problems, overcommit: cpus.overcommit };
}

/** Guest memory of VMs above what the host can give; container limits above its memory. */
function memoryProblems(targets: readonly PlannedTarget[], facts: HostCapacity): HostProblem[] {
  const problems: HostProblem[] = [];
  const vms = ofKind(targets, 'vm').filter((p) => takes(p, 'memoryMiB'));
  for (const { value, targets: ts } of byValue(vms, (t) => t.guest.memoryMiB)) {
    if (value * MiB > facts.memoryAvailableBytes)
      problems.push({
        field: 'guest.memoryMiB',
        message: `guest.memoryMiB: ${value} MiB for ${names(ts)} is more than this host can give: ${mib(facts.memoryAvailableBytes)} MiB available of ${mib(facts.memoryTotalBytes)} MiB`,
      });
  }
  const limited = ofKind(targets, 'container').filter((p) => takes(p, 'memoryMiB'));
  for (const { value, targets: ts } of byValue(limited, (t) => t.guest.memoryMiB)) {
    if (value * MiB > facts.memoryTotalBytes)
      problems.push({
        field: 'guest.memoryMiB',
        message: `guest.memoryMiB: a ${value} MiB memory limit for ${names(ts)} is above this host's ${mib(facts.memoryTotalBytes)} MiB`,
      });
  }
  return problems;
}

/** vCPUs above the host's CPUs: VMs may overcommit when the config allows it, containers never. */
function checkCpus(
  targets: readonly PlannedTarget[],
  facts: HostCapacity,
  allowOvercommit: boolean,
): HostCheck {
  const problems: HostProblem[] = [];
  const overcommit: VcpuOvercommit[] = [];
  const over = (ts: PlannedTarget[]) =>
    byValue(
      ts.filter((p) => takes(p, 'vcpus') && p.guest.vcpus > facts.cpus),
      (t) => t.guest.vcpus,
    );
  for (const { value, targets: ts } of over(ofKind(targets, 'vm'))) {
    if (allowOvercommit) {
      for (const p of ts)
        overcommit.push({
          platform: p.id,
          ...(p.target ? { target: p.target } : {}),
          vcpus: value,
          hostCpus: facts.cpus,
        });
    } else
      problems.push({
        field: 'guest.vcpus',
        message: `guest.vcpus: ${value} vCPUs for ${names(ts)} is more than this host's ${facts.cpus} CPUs (set "allowOvercommit": true, or pass --allow-overcommit, to run them anyway: the results then say so)`,
      });
  }
  for (const { value, targets: ts } of over(ofKind(targets, 'container')))
    problems.push({
      field: 'guest.vcpus',
      message: `guest.vcpus: a ${value}-CPU limit for ${names(ts)} is above this host's ${facts.cpus} CPUs (a container cannot be limited to more CPUs than exist; overcommit does not apply)`,
    });
  return { problems, overcommit };
}

/**
 * What a VM target's benchmark disk image takes in its scratch folder (MiB): a sparse image
 * grows by what the disk benchmark writes; a preallocated one is whole at once.
 */
export function vmImageMiB(t: PlannedTarget): number {
  const g = t.guest;
  const preallocated = g.preallocation === 'full' || g.preallocation === 'falloc';
  return preallocated ? g.diskSizeMiB : Math.min(g.diskSizeMiB, diskNeed(t.benchmarks)?.mib ?? 0);
}

/** A VM's disk image above the scratch folder's free space; a host's disk writes above the run folder's. */
function diskProblems(
  targets: readonly PlannedTarget[],
  facts: HostCapacity,
  runParentDir: string,
): HostProblem[] {
  const problems: HostProblem[] = [];
  const vmDisks = ofKind(targets, 'vm').filter((p) => takes(p, 'diskSizeMiB'));
  const shape = (t: PlannedTarget) => ({
    diskSizeMiB: t.guest.diskSizeMiB,
    diskFormat: t.guest.diskFormat,
    preallocation: t.guest.preallocation,
  });
  for (const { value: g, targets: ts } of byValue(vmDisks, shape)) {
    const imageMiB = Math.max(0, ...ts.map(vmImageMiB));
    // The image lives in the run's own scratch folder (<run>/scratch/<target>), so it is the
    // run folder's file system that must hold it, not $TMPDIR's.
    const scratchFree = imageMiB > 0 ? facts.freeBytes(runParentDir) : null;
    if (scratchFree !== null && imageMiB * MiB > scratchFree)
      problems.push({
        field: 'guest.diskSizeMiB',
        message: `guest.diskSizeMiB: a ${g.diskSizeMiB} MiB ${g.diskFormat} disk with preallocation=${g.preallocation} for ${names(ts)} needs ${imageMiB} MiB in the run's scratch folder under ${runParentDir}, which has ${mib(scratchFree)} MiB free`,
      });
  }
  // What a host platform's disk benchmark writes lands in the run folder (once per platform).
  const hosts = ofKind(targets, 'host').filter(
    (t, i, all) => all.findIndex((x) => x.id === t.id) === i,
  );
  for (const p of hosts) {
    const need = diskNeed(p.benchmarks);
    if (!need) continue;
    const free = facts.freeBytes(runParentDir);
    if (free !== null && need.mib * MiB > free)
      problems.push({
        field: `benchmarks.${need.index}.params.${need.param}`,
        message: `benchmarks.${need.index}.params.${need.param}: ${need.benchmark} writes ${need.mib} MiB into the run folder on ${p.id}, but ${runParentDir} has ${mib(free)} MiB free`,
      });
  }
  return problems;
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
  config: Pick<ExperimentConfig, 'allowOvercommit'>,
  planned: readonly PlannedTargetLoad[],
  facts: HostCapacity,
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
