/**
 * How a sample meta key is registered: its value's schema, one line saying what it records,
 * and who writes it. The registry (registry.ts) is the contract between the writers (the engine,
 * the platforms, the benchmarks) and the readers (findings, statistics, exports, views).
 */
import type { z } from 'zod';

/** Who writes a key: the engine itself, a platform's session, or a benchmark's runner. */
export type MetaWriter =
  'engine' | 'native' | 'docker' | 'qemu' | 'unikernel' | 'nginx' | 'host comparison';

export interface MetaKey<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** One line: what the value records (units in the words). */
  readonly about: string;
  readonly writers: readonly MetaWriter[];
}

/** Registers one key (the object's property name is the key). */
export function metaKey<S extends z.ZodType>(
  schema: S,
  writers: readonly MetaWriter[],
  about: string,
): MetaKey<S> {
  return { schema, about, writers };
}
