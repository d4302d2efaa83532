/**
 * The review step's command lines for an experiment's benchmarks: the one loop every platform's
 * describe() shares. For each benchmark it asks the benchmark's runner what it would request of a
 * session (benchmarks/recordRequest.ts) and lets the platform say how that request runs on it (a
 * binary through a pty, a `docker exec`, inside the guest, a unikernel boot).
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import { recordRequest } from '../benchmarks/recordRequest';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { ServiceSpec } from '../session/service';
import type { ExecRequest } from '../session/types';

/** One command line of the review step. */
export interface DescribedCommand {
  title: string;
  argv: string[];
}

/** How one platform renders a benchmark's recorded request. */
export interface BenchmarkDescriber {
  /** The disk target this platform gives the disk benchmark (a file or a guest device). */
  readonly diskTarget: string;
  /** A service benchmark: its program started the way the session's startService starts it. */
  service(spec: ServiceSpec, title: string, benchmark: BenchmarkId): DescribedCommand;
  /** A binary benchmark; exec is null when this build has no runner for it. */
  exec(exec: ExecRequest | null, title: string, benchmark: BenchmarkId): DescribedCommand;
  /** Benchmarks this platform leaves out of the review (default: none). */
  skips?(benchmark: BenchmarkId): boolean;
}

/** The command lines of the experiment's benchmarks on one platform, in the experiment's order. */
export async function describeBenchmarks(
  config: ExperimentConfig,
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>> | undefined,
  describer: BenchmarkDescriber,
): Promise<DescribedCommand[]> {
  const out: DescribedCommand[] = [];
  for (const bench of config.benchmarks) {
    if (describer.skips?.(bench.id)) continue;
    const runner = runners?.[bench.id];
    const req = runner ? await recordRequest(runner, bench.params, describer.diskTarget) : null;
    const title = CATALOGUE[bench.id].title;
    out.push(
      req?.kind === 'service'
        ? describer.service(req.service, title, bench.id)
        : describer.exec(req?.exec ?? null, title, bench.id),
    );
  }
  return out;
}
