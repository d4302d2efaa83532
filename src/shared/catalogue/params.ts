/** Parameter validation shared by config parsing and the wizard. */
import { z } from 'zod';
import { CATALOGUE } from './definitions';
import type { BenchmarkId, ParamValues, ProfileId } from './types';

/** A strict zod schema for one benchmark's (partial) parameters. */
export function paramsSchema(id: BenchmarkId): z.ZodType<Partial<ParamValues>> {
  const shape: Record<string, z.ZodType<number | undefined>> = {};
  for (const p of CATALOGUE[id].params) {
    let s = z.number().min(p.min).max(p.max);
    if (p.integer) s = s.int();
    shape[p.key] = s.optional();
  }
  return z.strictObject(shape) as unknown as z.ZodType<Partial<ParamValues>>;
}

/** Profile defaults overlaid with the user's values. */
export function resolveParams(
  id: BenchmarkId,
  profile: ProfileId,
  overrides: Partial<ParamValues> = {},
): ParamValues {
  const out: ParamValues = { ...CATALOGUE[id].profiles[profile] };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v;
  return out;
}
