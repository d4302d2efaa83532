/**
 * Runners for the benchmarks that are C binaries inside the platform:
 * catalogue parameters become flags, the platform runs the binary, the
 * @@BENCHVISOR line becomes metrics. Benchmark failures (a non-zero exit, a
 * missing or malformed line, a timeout) come back as an outcome with `error`;
 * run() never throws for them.
 */
import {
  BINARY_NAMES,
  CATALOGUE,
  type BenchmarkId,
  type BinaryName,
  type ParamValues,
} from '../../shared/catalogue';
import type { ExecResult, PlatformSession } from '../session/types';
import { parseResultLine } from './resultLine';
import type { BenchmarkRunner, RepetitionOptions, RepetitionOutcome } from './types';

/** How many trailing output lines are quoted in an error (they usually say what went wrong). */
const ERROR_TAIL_LINES = 3;

/** A binary benchmark: its binary and how its parameters become flags. */
export interface BinaryBenchmarkSpec {
  id: BinaryName;
  /** Catalogue parameter key -> command line flag, in argv order. */
  flags: readonly (readonly [param: string, flag: string])[];
  /** Parameters that are switches: their flag alone when 1, nothing when 0 or absent. */
  switches?: readonly string[];
  /** Extra leading arguments that depend on the session (diskwrite's --file). */
  sessionArgs?: (session: PlatformSession) => string[];
}

/** The spec of one binary benchmark, read from its catalogue entry (flags, disk target flag). */
export function binarySpec(id: BinaryName): BinaryBenchmarkSpec {
  const def = CATALOGUE[id];
  const diskFlag = def.diskTargetFlag;
  return {
    id,
    flags: def.params.flatMap((p) => (p.flag ? [[p.key, p.flag] as const] : [])),
    switches: def.params.filter((p) => p.switch).map((p) => p.key),
    ...(diskFlag
      ? { sessionArgs: (session: PlatformSession) => [diskFlag, session.diskTarget] }
      : {}),
  };
}

export const BINARY_SPECS = Object.fromEntries(
  BINARY_NAMES.map((id) => [id, binarySpec(id)]),
) as Record<BinaryName, BinaryBenchmarkSpec>;

/** Formats a parameter for argv: plain decimal, never exponent notation. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** The argv for one repetition, or a message naming the bad parameter. */
export function buildArgs(
  spec: BinaryBenchmarkSpec,
  params: ParamValues,
  session: PlatformSession,
): { args: string[] } | { error: string } {
  const args = spec.sessionArgs ? spec.sessionArgs(session) : [];
  for (const [param, flag] of spec.flags) {
    const value = params[param];
    if (spec.switches?.includes(param)) {
      if (value === 1) args.push(flag);
      else if (value !== undefined && value !== 0)
        return { error: `${spec.id}: parameter "${param}" is a switch (0 or 1)` };
      continue;
    }
    if (value === undefined) return { error: `${spec.id}: parameter "${param}" is missing` };
    if (!Number.isFinite(value))
      return { error: `${spec.id}: parameter "${param}" must be a finite number` };
    args.push(flag, formatNumber(value));
  }
  return { args };
}

/**
 * What the output says about a failure: the benchmark's own "error:" lines when
 * there are any (a usage text follows them), else the last few lines.
 */
function outputTail(stdout: string): string {
  const lines = stdout
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.includes('@@BENCHVISOR'));
  const errors = lines.filter((l) => /\berror:/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-ERROR_TAIL_LINES).join(' | ');
}

function failed(error: string, exitCode: number | null, durationMs: number): RepetitionOutcome {
  return { metrics: {}, exitCode, durationMs, error };
}

/** Turns what the platform returned into an outcome (with the run's own facts, if any). */
export function outcomeFromExec(id: BenchmarkId, result: ExecResult): RepetitionOutcome {
  const outcome = outcomeOf(id, result);
  return result.meta ? { ...outcome, meta: result.meta } : outcome;
}

function outcomeOf(id: BenchmarkId, result: ExecResult): RepetitionOutcome {
  const { exitCode, durationMs } = result;
  if (result.failure)
    return failed(`${result.failure.code}: ${result.failure.message}`, exitCode, durationMs);
  if (exitCode !== 0) {
    const tail = outputTail(result.stdout);
    const how = exitCode === null ? 'was killed' : `exited with code ${exitCode}`;
    return failed(`${id} ${how}${tail ? `: ${tail}` : ''}`, exitCode, durationMs);
  }
  const line = parseResultLine(result.stdout, id);
  if (!line.ok) return failed(line.error.message, exitCode, durationMs);
  return { metrics: line.value.metrics, exitCode, durationMs };
}

export class BinaryBenchmarkRunner implements BenchmarkRunner {
  readonly id: BenchmarkId;

  constructor(private readonly spec: BinaryBenchmarkSpec) {
    this.id = spec.id;
  }

  async run(
    session: PlatformSession,
    params: ParamValues,
    opts: RepetitionOptions,
  ): Promise<RepetitionOutcome> {
    if (opts.signal.aborted)
      return failed('CANCELLED: the repetition was cancelled before it started', null, 0);
    const built = buildArgs(this.spec, params, session);
    if ('error' in built) return failed(built.error, null, 0);
    const started = performance.now();
    let result: ExecResult;
    try {
      result = await session.exec({
        binary: this.spec.id,
        args: built.args,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return failed(
        `${this.spec.id} could not be run: ${message}`,
        null,
        performance.now() - started,
      );
    }
    return outcomeFromExec(this.spec.id, result);
  }
}

/** One runner per binary benchmark. */
export function createBinaryRunners(): Record<BinaryName, BenchmarkRunner> {
  const runners = {} as Record<BinaryName, BenchmarkRunner>;
  for (const id of BINARY_NAMES) runners[id] = new BinaryBenchmarkRunner(BINARY_SPECS[id]);
  return runners;
}
