import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { describeBenchmarks } from '../../src/main/platforms/describeCommands';
import type { ServiceSpec } from '../../src/main/session/service';

function config(benchmarks: BenchmarkId[]) {
  const parsed = parseExperimentConfig({ platforms: ['native'], benchmarks });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

/** A runner that asks for a binary with the session's disk target as its argument. */
function execRunner(id: BenchmarkId): BenchmarkRunner {
  return {
    id,
    async run(session) {
      await session.exec({ binary: id as never, args: ['--to', session.diskTarget], timeoutMs: 1 });
      return { ok: false, failure: { code: 'CANCELLED', message: 'x' } } as never;
    },
  };
}

/** A runner that asks for a service. */
function serviceRunner(id: BenchmarkId, name: string): BenchmarkRunner {
  return {
    id,
    async run(session) {
      await session.startService({ name } as ServiceSpec);
      return { ok: false, failure: { code: 'CANCELLED', message: 'x' } } as never;
    },
  };
}

describe('describeBenchmarks: the one review loop of every platform', () => {
  it('renders each benchmark in config order as the platform says: exec, service, or no runner', async () => {
    const seen: string[] = [];
    const lines = await describeBenchmarks(
      config(['linpack', 'nginx', 'memsweep']),
      { linpack: execRunner('linpack'), nginx: serviceRunner('nginx', 'web') },
      {
        diskTarget: '/dev/vdb',
        service: (spec, title, benchmark) => {
          seen.push(`service ${benchmark}`);
          return { title: `${title} served`, argv: ['serve', spec.name] };
        },
        exec: (exec, title, benchmark) => {
          seen.push(`exec ${benchmark}`);
          return { title, argv: exec ? [exec.binary, ...exec.args] : ['missing', benchmark] };
        },
      },
    );
    expect(seen).toEqual(['exec linpack', 'service nginx', 'exec memsweep']);
    expect(lines.map((l) => l.argv)).toEqual([
      ['linpack', '--to', '/dev/vdb'],
      ['serve', 'web'],
      ['missing', 'memsweep'],
    ]);
    expect(lines[1]!.title).toMatch(/served$/);
  });

  it('leaves out the benchmarks the platform skips', async () => {
    const lines = await describeBenchmarks(
      config(['linpack', 'memsweep']),
      { linpack: execRunner('linpack'), memsweep: execRunner('memsweep') },
      {
        diskTarget: 'd',
        skips: (b) => b === 'linpack',
        service: () => ({ title: 's', argv: [] }),
        exec: (exec) => ({ title: 'e', argv: [exec!.binary] }),
      },
    );
    expect(lines.map((l) => l.argv)).toEqual([['memsweep']]);
  });
});
