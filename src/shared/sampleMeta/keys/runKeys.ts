/** Meta keys the engine writes about a sample's place in the run (its target, order, timing). */
import { z } from 'zod';
import { RunOrder } from '../../config';
import { metaKey } from '../define';

/** The host's CPU split over one repetition (shared/host/procStat.ts HostCpuSplit). */
export const HostCpuSchema = z.object({
  seconds: z.number(),
  cpus: z.number(),
  userPercent: z.number(),
  systemPercent: z.number(),
  iowaitPercent: z.number(),
  stealPercent: z.number(),
  idlePercent: z.number(),
  otherPercent: z.number(),
  othersCpuPercent: z.number(),
  topOthers: z.array(z.object({ pid: z.number(), comm: z.string(), cpuPercent: z.number() })),
  runCpuPercent: z.number(),
});

/** What was typed into a target's console during one measured repetition (ms after it started). */
export const ConsoleInputSchema = z.object({
  bytes: z.number().int().min(1),
  /** How many separate writes (keystrokes or pastes) reached the console. */
  writes: z.number().int().min(1),
  firstAtMs: z.number().min(0),
  lastAtMs: z.number().min(0),
});

export const RUN_KEYS = {
  target: metaKey(z.string(), ['engine'], 'the target id the sample ran on'),
  targetLabel: metaKey(z.string(), ['engine', 'host comparison'], "the target's readable label"),
  control: metaKey(z.boolean(), ['engine'], 'true on the A/A control twin of the reference target'),
  prepareMs: metaKey(z.number(), ['engine'], "wall ms the target's preparation took (boot, start)"),
  metaReadAt: metaKey(
    z.enum(['sample', 'prepare']),
    ['engine'],
    "when the session's facts were read: after this repetition, or (session dead) at prepare",
  ),
  params: metaKey(z.record(z.string(), z.unknown()), ['engine'], "the benchmark's parameters"),
  hostCpu: metaKey(
    z.union([HostCpuSchema, z.literal('unknown')]),
    ['engine'],
    "the host's CPU split during the repetition ('unknown': /proc could not be read)",
  ),
  consoleInput: metaKey(
    ConsoleInputSchema,
    ['engine'],
    "what was typed into the target's console while the repetition ran",
  ),
  order: metaKey(RunOrder, ['engine'], 'the run order the repetition was scheduled in'),
  seed: metaKey(z.number().int().min(0), ['engine'], "the run's seed of the round orders (u32)"),
  round: metaKey(z.number().int().min(1), ['engine'], 'the interleaved round, 1-based'),
  position: metaKey(z.number().int().min(1), ['engine'], 'place in its round, 1-based'),
  instance: metaKey(z.number().int().min(1), ['engine'], 'which fresh instance of the target'),
  group: metaKey(
    z.number().int().min(1),
    ['engine'],
    'the interleave group (when the host could not hold every target at once)',
  ),
  pauseMs: metaKey(z.number().min(0), ['engine'], 'ms the target took to pause after it (untimed)'),
  resumeMs: metaKey(z.number().min(0), ['engine'], 'ms the target took to resume before it'),
  host: metaKey(z.string(), ['host comparison'], 'the lab host a compared sample came from'),
};
