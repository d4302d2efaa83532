/** Fakes for the runner tests: a platform whose sessions do nothing, runners that return listed values. */
import { parseExperimentConfig, type ExperimentConfigInput } from '../../src/shared/config';
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { PlatformId } from '../../src/shared/platforms';
import { AppFailure } from '../../src/shared/result';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import type { Platform, PlatformSession } from '../../src/main/platforms/platform';

export function cfg(input: Partial<ExperimentConfigInput>) {
  const parsed = parseExperimentConfig({
    platforms: ['native'],
    benchmarks: ['linpack'],
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

export interface FakeOptions {
  available?: boolean;
  prepareFails?: boolean;
  /** prepare throws AppFailure UNAVAILABLE (found only when it tried, e.g. KVM failing to start). */
  prepareUnavailable?: boolean;
  unsupported?: BenchmarkId[];
}

export function fakePlatform(
  id: PlatformId,
  opts: FakeOptions = {},
): Platform & { disposed: number } {
  const p = {
    id,
    disposed: 0,
    capabilities: ['fork', 'syscall', 'float', 'memory', 'disk', 'network'] as const,
    probe: () =>
      Promise.resolve(
        opts.available === false
          ? { available: false, reason: `${id} is switched off`, fix: 'switch it on' }
          : { available: true },
      ),
    supports: (b: BenchmarkId) =>
      Promise.resolve(
        opts.unsupported?.includes(b)
          ? { available: false, reason: `${b} missing here` }
          : { available: true },
      ),
    describe: () => Promise.resolve([]),
    prepare: async (ctx: Parameters<Platform['prepare']>[0]): Promise<PlatformSession> => {
      if (opts.prepareFails) throw new Error('boot failed');
      if (opts.prepareUnavailable)
        throw new AppFailure(
          'UNAVAILABLE',
          'KVM could not start (EBUSY). Fix: stop the other hypervisor',
        );
      ctx.console.data(`${id} ready\n`);
      return {
        diskTarget: '/dev/null',
        exec: () => Promise.resolve({ exitCode: 0, stdout: '', durationMs: 1 }),
        startService: () => Promise.reject(new Error('no')),
        write: () => true,
        meta: () => Promise.resolve({ vcpus: 1, platformId: id }),
        dispose: () => {
          p.disposed++;
          return Promise.resolve();
        },
      };
    },
  };
  return p;
}

/** A runner returning values from a list per call (null → failure). */
export function listRunner(
  id: BenchmarkId,
  metric: string,
  values: (number | null)[],
): BenchmarkRunner & { calls: number } {
  const r = {
    id,
    calls: 0,
    run: () => {
      const v = values[r.calls % values.length] ?? null;
      r.calls++;
      return Promise.resolve(
        v === null
          ? { metrics: {}, exitCode: 1, durationMs: 5, error: 'exit code 1' }
          : { metrics: { [metric]: v }, exitCode: 0, durationMs: 5 },
      );
    },
  };
  return r;
}
