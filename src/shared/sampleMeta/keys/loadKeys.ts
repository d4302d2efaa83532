/** Meta keys of a served benchmark's load: the client's ceiling and both sides' CPU. */
import { z } from 'zod';
import { metaKey } from '../define';

/** The client's throughput ceiling, measured against the host's nginx. */
export const LoadCeilingSchema = z.object({
  /** Best body MB/s of the ceiling loads. */
  mbps: z.number(),
  totalMs: z.number(),
  p50Ms: z.number(),
  /** The client's CPU in that best load, % of one CPU. */
  clientCpuPercent: z.number(),
  /** The host nginx's CPU in that load, % of one CPU (null when /proc was unreadable). */
  serverCpuPercent: z.number().nullable(),
  reps: z.number(),
  allMbps: z.array(z.number()),
  server: z.string(),
});

/** CPU of both sides during one repetition's load, % of one CPU. */
export const LoadCpuSchema = z.object({
  clientPercent: z.number(),
  serverPercent: z.number().nullable(),
});

export const LOAD_KEYS = {
  loadCeiling: metaKey(
    z.union([LoadCeilingSchema, z.object({ error: z.string() })]),
    ['nginx'],
    "the load client's ceiling against the host's server, or why it was not measured",
  ),
  loadCpu: metaKey(LoadCpuSchema, ['nginx'], "client's and server's CPU during the load"),
  loadClient: metaKey(z.string(), ['nginx'], 'the load client that measured it'),
};
