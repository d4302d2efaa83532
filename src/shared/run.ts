/** Run-level records: list items, status, events' payloads. */
import { z } from 'zod';
import { BENCHMARK_IDS } from './catalogue';
import { PlatformId } from './platforms';
import { SampleSchema } from './sample';
import { TargetIdSchema } from './targets';

export const RunStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunListItemSchema = z.object({
  runId: z.string(),
  name: z.string(),
  dir: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  status: RunStatus,
  platforms: z.array(PlatformId),
  benchmarks: z.array(z.string()),
  sampleCount: z.number().int(),
  failedCount: z.number().int(),
  imported: z.boolean().default(false),
  /** Set when the run folder cannot be read (the reason): it can only be deleted. */
  damaged: z.string().optional(),
  /** The lab host the run ran on (absent: this machine, or unknown for an imported bundle). */
  host: z.string().optional(),
  /** The order its repetitions ran in (runDesign.ts runOrderOfRecord; older runs: sequential). */
  order: z.enum(['interleaved', 'sequential']).optional(),
  /** The order in words, with seed, instances and groups (runDesign.ts runOrderText). */
  orderText: z.string().optional(),
});
export type RunListItem = z.infer<typeof RunListItemSchema>;

/**
 * Where a target of the run stands (the run view shows it): being prepared (booting, starting),
 * live and idle, measuring a repetition, paused by an interleaved run (QMP stop, docker pause),
 * or closed (disposed, or never opened).
 */
export const TargetState = z.enum(['booting', 'live', 'measuring', 'paused', 'closed']);
export type TargetState = z.infer<typeof TargetState>;

/** done/total of each target (the platform id when nothing varies). */
const PerTargetSchema = z.record(z.string(), z.object({ done: z.number(), total: z.number() }));

/**
 * Events from before targets named the counts `perPlatform` (keyed by target all the same): a
 * lab host's older agent still sends them, and they read as `perTarget`.
 */
function renamePerPlatform(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || 'perTarget' in v || !('perPlatform' in v)) return v;
  const { perPlatform, ...rest } = v as { perPlatform: unknown };
  return { ...rest, perTarget: perPlatform };
}

const ProgressEventObject = z.object({
  runId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  /** Estimated milliseconds left (null until one repetition finished). */
  etaMs: z.number().nullable(),
  elapsedMs: z.number(),
  current: z
    .object({
      platform: PlatformId,
      target: z.string().optional(),
      benchmark: z.enum(BENCHMARK_IDS),
      rep: z.number().int(),
      warmup: z.boolean(),
    })
    .nullable(),
  /** Per target (the platform id when nothing varies): done/total. */
  perTarget: PerTargetSchema,
  /** Per target that has been opened: its state now (absent from older engines). */
  states: z.record(z.string(), TargetState).optional(),
});
export const ProgressEventSchema = z.preprocess(renamePerPlatform, ProgressEventObject);
export type ProgressEvent = z.infer<typeof ProgressEventObject>;

export const LogEventSchema = z.object({
  runId: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  platform: PlatformId.optional(),
  at: z.string(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;

export const ConsoleDataEventSchema = z.object({
  runId: z.string(),
  platform: PlatformId,
  /** The target whose console this is (one console per target); absent: the platform's. */
  target: z.string().optional(),
  data: z.string(),
  /** Running byte offset of this chunk's end in the platform's console stream. */
  offset: z.number().int(),
});
export type ConsoleDataEvent = z.infer<typeof ConsoleDataEventSchema>;

export const FinishedEventSchema = z.object({
  runId: z.string(),
  status: RunStatus,
  dir: z.string(),
  failed: z.number().int(),
  measured: z.number().int(),
  message: z.string().optional(),
  /**
   * The run in the local history that holds the results when it is not `runId` itself: a run
   * on lab hosts ends as its copy home, or as one comparison by host when it ran on several.
   */
  resultRunId: z.string().optional(),
});
export type FinishedEvent = z.infer<typeof FinishedEventSchema>;

export const SampleEventSchema = SampleSchema;

/** How one cell (platform × benchmark) of a run ended: cells.json, one record per cell. */
export const CellRecordSchema = z.object({
  platform: PlatformId,
  /** The target (platform × variant values); absent in runs from before variants: its platform. */
  target: TargetIdSchema.optional(),
  benchmark: z.enum(BENCHMARK_IDS),
  status: z.enum(['completed', 'failed', 'partial', 'cancelled', 'skipped', 'pending']),
  measured: z.number().int(),
  failed: z.number().int(),
  warmup: z.number().int(),
  reason: z.string().optional(),
  /** The adaptive rule in force and why the cell stopped repeating. */
  adaptive: z
    .object({
      rule: z.object({
        minRepetitions: z.number(),
        maxRepetitions: z.number(),
        targetCiPercent: z.number(),
        minSeconds: z.number(),
      }),
      stopReason: z.string(),
    })
    .optional(),
});
export type CellRecord = z.infer<typeof CellRecordSchema>;
