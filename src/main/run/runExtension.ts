/**
 * "Run N more repetitions" of a finished run: what the runner needs to append to the same run
 * folder. The run's own config (experiment.json) narrowed to the targets and benchmarks that
 * measured something, with a fixed count of N and no adaptive rule; the numbers the new samples
 * continue from (repetition per cell, round, instance) so they sit beside the old ones as if the
 * run had been longer; and the samples and cell records already there (the summary and cells.json
 * are remade from old and new together). Refused, with the reason, when the run is not finished,
 * was measured elsewhere (imported, a lab host's) or its config no longer parses.
 */
import { parseExperimentConfig, type ExperimentConfig } from '../../shared/config';
import type { BenchmarkId } from '../../shared/catalogue';
import type { PlatformId } from '../../shared/platforms';
import type { CellRecord, RunStatus } from '../../shared/run';
import { MAX_MORE_REPETITIONS, type RunDetail } from '../../shared/api';
import { err, ok, type Result } from '../../shared/result';
import type { Sample } from '../../shared/sample';
import { withRecordedOrder } from '../../shared/runDesign';
import type { RunDesign } from './designSchedules';

/** A run's states that may be extended: it ended and its folder is whole. */
const EXTENDABLE: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/** Where the new samples continue from. */
export interface ExtensionStart {
  /** Highest repetition number per cell (`target|benchmark`). */
  reps: Map<string, number>;
  /** Highest round and instance any sample recorded. */
  round: number;
  instance: number;
}

export interface RunExtension {
  runId: string;
  /** The run's config narrowed to what it measured, with `repetitions` more per cell. */
  config: ExperimentConfig;
  repetitions: number;
  start: ExtensionStart;
  /** The design the run recorded (its seed continues the rounds); absent: the config's. */
  design?: RunDesign;
  previous: { samples: Sample[]; cells: CellRecord[]; status: RunStatus };
}

export const cellKey = (target: string, benchmark: string): string => `${target}|${benchmark}`;

/** Why a run cannot be extended, or null. */
function refusal(detail: RunDetail): string | null {
  const { item } = detail;
  if (item.status === 'running')
    return `run ${item.runId} is still running: wait until it finished`;
  if (!EXTENDABLE.includes(item.status))
    return `run ${item.runId} was ${item.status} (its process ended without closing it): only a finished run can get more repetitions`;
  if (item.imported)
    return `run ${item.runId} was imported: its targets are on the machine that measured it, not here`;
  if (item.host !== undefined)
    return `run ${item.runId} ran on the lab host ${item.host}: add repetitions there`;
  if (detail.samples.every((s) => s.value === null))
    return `run ${item.runId} has no measured repetition to add to`;
  return null;
}

/** Where the run's samples left off. */
export function extensionStart(samples: readonly Sample[]): ExtensionStart {
  const reps = new Map<string, number>();
  let round = 0;
  let instance = 0;
  for (const s of samples) {
    const key = cellKey(s.target ?? s.platform, s.benchmark);
    reps.set(key, Math.max(reps.get(key) ?? 0, s.rep));
    const meta = (s.meta ?? {}) as { round?: unknown; instance?: unknown };
    if (typeof meta.round === 'number') round = Math.max(round, meta.round);
    if (typeof meta.instance === 'number') instance = Math.max(instance, meta.instance);
  }
  return { reps, round, instance };
}

/** Recorded interleave groups: lists of target ids, or undefined when absent or malformed. */
function recordedGroups(v: unknown): string[][] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const ok = v.every((g) => Array.isArray(g) && g.every((id) => typeof id === 'string'));
  return ok ? (v as string[][]) : undefined;
}

function recordedDesign(experiment: unknown): RunDesign | undefined {
  const d = (experiment as { design?: Partial<RunDesign> } | null)?.design;
  if (!d || (d.order !== 'interleaved' && d.order !== 'sequential')) return undefined;
  if (typeof d.instances !== 'number') return undefined;
  const groups = recordedGroups(d.groups);
  return {
    order: d.order,
    instances: d.instances,
    ...(typeof d.seed === 'number' ? { seed: d.seed } : {}),
    ...(groups ? { groups } : {}),
  };
}

/**
 * The interleave groups of an extension: the ones the run recorded (so the new rounds pair the
 * same targets as the old), narrowed to the targets that run again, a target in none of them
 * (not expected) in a group of its own; when the run recorded none (every target live at once),
 * `hostGroups`: null while the host still holds them all, else the groups that fit now.
 */
export function extensionGroups(
  design: RunDesign | undefined,
  targetIds: readonly string[],
  hostGroups: string[][] | null,
): string[][] | null {
  if (!design?.groups) return hostGroups;
  const groups = design.groups
    .map((g) => g.filter((id) => targetIds.includes(id)))
    .filter((g) => g.length > 0);
  const rest = targetIds.filter((id) => !groups.some((g) => g.includes(id)));
  if (rest.length > 0) groups.push([...rest]);
  return groups.length > 1 ? groups : null;
}

/** Plans N more repetitions of a finished run (its detail as the run store read it). */
export function planExtension(detail: RunDetail, repetitions: number): Result<RunExtension> {
  const runId = detail.item.runId;
  if (!Number.isInteger(repetitions) || repetitions < 1 || repetitions > MAX_MORE_REPETITIONS)
    return err(
      'INVALID_INPUT',
      `repetitions must be a whole number from 1 to ${MAX_MORE_REPETITIONS} (got ${repetitions})`,
    );
  const refused = refusal(detail);
  if (refused !== null)
    return err(detail.item.status === 'running' ? 'BUSY' : 'INVALID_INPUT', refused);
  const recorded = (detail.experiment as { config?: unknown } | null)?.config;
  const parsed = parseExperimentConfig(withRecordedOrder(recorded));
  if (!parsed.ok)
    return err(
      'INVALID_CONFIG',
      `run ${runId}'s recorded config no longer reads: ${parsed.message}`,
    );
  const measured = detail.samples.filter((s) => s.value !== null);
  const platforms = new Set<PlatformId>(measured.map((s) => s.platform));
  const benchmarks = new Set<BenchmarkId>(measured.map((s) => s.benchmark));
  const base = parsed.config;
  const config: ExperimentConfig = {
    ...base,
    platforms: base.platforms.filter((p) => platforms.has(p)),
    benchmarks: base.benchmarks.filter((b) => benchmarks.has(b.id)),
    // Every target that ran must run again: one that cannot refuses the whole extension.
    skipUnavailable: false,
    repetitions: {
      ...base.repetitions,
      count: repetitions,
      adaptive: { ...base.repetitions.adaptive, enabled: false },
    },
  };
  const design = recordedDesign(detail.experiment);
  return ok({
    runId,
    config,
    repetitions,
    start: extensionStart(detail.samples),
    ...(design ? { design } : {}),
    previous: { samples: detail.samples, cells: detail.cells ?? [], status: detail.item.status },
  });
}

/** How two records of one cell read together: the worse status wins, the counts add up. */
function mergeCell(before: CellRecord, after: CellRecord): CellRecord {
  if (after.status === 'skipped') return before;
  const rank: CellRecord['status'][] = [
    'completed',
    'pending',
    'partial',
    'cancelled',
    'failed',
    'skipped',
  ];
  const status =
    before.status === 'skipped' || rank.indexOf(after.status) > rank.indexOf(before.status)
      ? after.status
      : before.status;
  const merged: CellRecord = {
    ...before,
    status,
    measured: before.measured + after.measured,
    failed: before.failed + after.failed,
    warmup: before.warmup + after.warmup,
  };
  const reason = after.reason ?? before.reason;
  if (reason !== undefined) merged.reason = reason;
  return merged;
}

/** The cells.json of an extended run: the old records with the new counts added. */
export function mergeCells(
  before: readonly CellRecord[],
  after: readonly CellRecord[],
): CellRecord[] {
  const out = before.map((c) => ({ ...c }));
  for (const a of after) {
    const i = out.findIndex(
      (b) => (b.target ?? b.platform) === (a.target ?? a.platform) && b.benchmark === a.benchmark,
    );
    if (i < 0) out.push(a);
    else out[i] = mergeCell(out[i] as CellRecord, a);
  }
  return out;
}
