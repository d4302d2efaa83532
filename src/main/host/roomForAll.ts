/**
 * Room for every target at once (issue 19 item 4). In interleaved order every target of the
 * experiment is live at the same time (booted, started, paused while idle), so what they hold
 * adds up: each guest's memory and each guest's benchmark disk image (in its own scratch
 * folder until it is disposed). hostLimits.ts checks each target on its own, value by value;
 * here the live targets are summed. Where they do not fit together, the targets are split into
 * groups that do (in target order, a new group when the next target would not fit), and each
 * group is interleaved on its own: the groups run one after another, every group's targets
 * live together. The groups are recorded in experiment.json (design.groups) and every sample's
 * meta (group), and the run's order text names them. Comparisons between targets of different
 * groups share no rounds, so they are not paired by round (stats/paired.ts then compares them
 * between instances, or unpaired).
 *
 * vCPUs are not summed: an idle target is paused (its vCPU threads do not run), so only the
 * measuring target's vCPUs compete for the host's CPUs, and each target's count is checked on
 * its own (hostLimits.ts). A container's memory limit is a ceiling, not a reservation, and a
 * paused container holds only what it uses: containers are not summed either.
 */
import type { ExperimentConfig } from '../../shared/config';
import { ok, type Result } from '../../shared/result';
import {
  hostPreflight,
  ofKind,
  plannedTargets,
  takes,
  vmImageMiB,
  type PlannedTargetLoad,
  type PlannedTarget,
  type VcpuOvercommit,
} from './hostLimits';
import type { HostCapacity } from './hostCapacity';

const MiB = 1024 * 1024;

/** What one live target holds while the others measure. */
export interface LiveNeed {
  /** The target id. */
  id: string;
  memoryMiB: number;
  diskMiB: number;
}

/** What the host can hold at once (null: unknown, not checked). */
export interface Room {
  memoryMiB: number;
  diskMiB: number | null;
}

/** Each planned target's hold while live: a guest's memory and disk image; 0 for the rest. */
export function liveNeeds(planned: readonly PlannedTargetLoad[]): LiveNeed[] {
  return plannedTargets(planned).map((t: PlannedTarget) => {
    const vm = ofKind([t], 'vm').length === 1;
    return {
      id: t.target ?? t.id,
      memoryMiB: vm && takes(t, 'memoryMiB') ? t.guest.memoryMiB : 0,
      diskMiB: vm && takes(t, 'diskSizeMiB') ? vmImageMiB(t) : 0,
    };
  });
}

const fits = (group: readonly LiveNeed[], room: Room): boolean => {
  const mem = group.reduce((a, n) => a + n.memoryMiB, 0);
  const disk = group.reduce((a, n) => a + n.diskMiB, 0);
  return mem <= room.memoryMiB && (room.diskMiB === null || disk <= room.diskMiB);
};

/**
 * The targets in groups that fit the room together, in order; one group when all fit. A target
 * that does not fit even alone gets a group of its own (hostLimits.ts refuses it by itself).
 */
export function fitGroups(needs: readonly LiveNeed[], room: Room): string[][] {
  const groups: LiveNeed[][] = [];
  for (const n of needs) {
    const last = groups[groups.length - 1];
    if (last && fits([...last, n], room)) last.push(n);
    else groups.push([n]);
  }
  return groups.map((g) => g.map((n) => n.id));
}

/** The host's room for live targets: available memory, and free space of the run folder. */
export function roomOf(facts: HostCapacity, runParentDir: string): Room {
  const free = facts.freeBytes(runParentDir);
  return {
    memoryMiB: Math.floor(facts.memoryAvailableBytes / MiB),
    diskMiB: free === null ? null : Math.floor(free / MiB),
  };
}

/**
 * The groups an interleaved run must use on this host: null when every target fits at once
 * (or the order is sequential: one target lives at a time), else the groups.
 */
export function interleaveGroups(
  config: Pick<ExperimentConfig, 'repetitions'>,
  planned: readonly PlannedTargetLoad[],
  facts: HostCapacity,
  runParentDir: string,
): string[][] | null {
  if (config.repetitions.order !== 'interleaved') return null;
  const groups = fitGroups(liveNeeds(planned), roomOf(facts, runParentDir));
  return groups.length > 1 ? groups : null;
}

/** What the host preflight lets a run take: the allowed vCPU overcommits, the interleave groups. */
export interface HostPlan {
  overcommit: VcpuOvercommit[];
  /** Interleave in these groups of target ids; null: every target at once. */
  groups: string[][] | null;
}

/**
 * The host preflight with the room check: INVALID_CONFIG when a target alone asks more than the
 * host can give (hostLimits.ts), else the allowed overcommits and, for interleaved order, the
 * groups that fit the host together (null when all do).
 */
export function hostPlan(
  config: Pick<ExperimentConfig, 'allowOvercommit' | 'repetitions'>,
  planned: readonly PlannedTargetLoad[],
  facts: HostCapacity,
  runParentDir: string,
): Result<HostPlan> {
  const pre = hostPreflight(config, planned, facts, runParentDir);
  if (!pre.ok) return pre;
  return ok({
    overcommit: pre.value,
    groups: interleaveGroups(config, planned, facts, runParentDir),
  });
}

/** How the log and the order text say it: "a, b | c". */
export function groupsText(groups: readonly (readonly string[])[]): string {
  return groups.map((g) => g.join(', ')).join(' | ');
}
