/**
 * `benchvisor more <run-id> --repetitions N`: N more measured repetitions per cell of a finished
 * run, appended to the same run folder (same targets, same config); its summary and findings
 * are remade from all of its samples. Progress on stderr, the run folder as the last stdout line.
 */
import { MAX_MORE_REPETITIONS } from '../../shared/api';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { isFolderArg } from './runArg';
import { followRun, writeRunEnd } from './followRun';

const USAGE = `Usage: benchvisor more <run-id> --repetitions N

Runs N more measured repetitions per cell (target × benchmark) of a finished run
and appends them to the same run: the same targets with the same config, new
samples numbered on from the last repetition, round and instance. The run's
statistics and findings are then made from all of its samples.
  --repetitions N, -n N   repetitions to add per cell (1–${MAX_MORE_REPETITIONS})
A run still running, interrupted, imported or measured on a lab host is refused,
and so is one whose targets cannot run here any more (nothing is changed).
Exit codes: 0 all new repetitions succeeded, 1 some failed (samples kept),
2 refused or bad arguments, 130 interrupted.`;

function repetitionsArg(value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_MORE_REPETITIONS)
    throw new UsageError(
      `--repetitions must be a whole number from 1 to ${MAX_MORE_REPETITIONS} (got ${String(value ?? 'nothing')})`,
    );
  return n;
}

export const moreCommand: CliCommand = {
  name: 'more',
  summary: 'run N more repetitions of a finished run (appended to it)',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, {
      repetitions: { type: 'string', short: 'n' },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const runId = positionals[0] as string;
    if (isFolderArg(runId))
      throw new UsageError('give a run id of the runs folder (benchvisor list), not a path');
    const repetitions = repetitionsArg(values.repetitions);
    const runner = (await ctx.engine()).createRunner();
    const follower = followRun(ctx, runner);
    const started = await runner.extend(runId, repetitions);
    if (!started.ok) {
      follower.stop();
      ctx.io.stderr.write(`benchvisor more: ${started.error.message}\n`);
      return started.error.code === 'IO_ERROR' || started.error.code === 'INTERNAL'
        ? EXIT.failed
        : EXIT.usage;
    }
    ctx.io.stderr.write(`run ${runId}: ${repetitions} more per cell → ${started.value.dir}\n`);
    const { finished, interrupted } = await follower.finish(started.value.finished);
    writeRunEnd(ctx.io, finished, follower.samples, runId, ' (all samples)');
    ctx.io.stdout.write(`${finished.dir}\n`);
    if (interrupted || finished.status === 'cancelled') return EXIT.interrupted;
    return finished.failed === 0 ? EXIT.ok : EXIT.failed;
  },
};
