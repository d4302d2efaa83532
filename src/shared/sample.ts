/** One measured repetition: the line format of samples.ndjson (DESIGN.md §5). */
import { z } from 'zod';
import { BENCHMARK_IDS } from './catalogue';
import { PlatformId } from './platforms';
import { TargetIdSchema } from './targets';

export const SampleSchema = z.object({
  runId: z.string(),
  platform: PlatformId,
  /**
   * The target (platform × variant values) it ran on; absent in runs from before variants: its
   * platform. An id, never free text: it names files (consoles, CSV) and chart groups.
   */
  target: TargetIdSchema.optional(),
  benchmark: z.enum(BENCHMARK_IDS),
  /** 1-based repetition number among measured (non-warmup) repetitions. */
  rep: z.number().int().min(1),
  /** Main metric key and value (null when the repetition failed). */
  metric: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  /** Every metric the benchmark reported. */
  metrics: z.record(z.string(), z.number()),
  startedAt: z.string(),
  durationMs: z.number(),
  exitCode: z.number().nullable(),
  /** Why the repetition failed, when it did. */
  error: z.string().optional(),
  meta: z.record(z.string(), z.unknown()),
});
export type Sample = z.infer<typeof SampleSchema>;
