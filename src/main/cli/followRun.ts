/**
 * What `benchvisor run` and `benchvisor more` do alike while a run goes: its progress, samples
 * and log printed on stderr (progressView.ts), the samples kept for the closing lines, Ctrl-C
 * cancelling it, and the closing lines themselves.
 */
import type { FinishedEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import type { Engine } from '../composition';
import type { CliContext, CliIo } from './command';
import { createProgressView } from './progressView';
import { runSummaryLines } from './runSummary';

type Runner = ReturnType<Engine['createRunner']>;

export interface RunFollower {
  /** Every sample the run reported so far. */
  readonly samples: Sample[];
  /** Stops printing (for a run that did not start). */
  stop(): void;
  /** Waits for the run to end (Ctrl-C cancels it), then stops printing. */
  finish(
    finished: Promise<FinishedEvent>,
  ): Promise<{ finished: FinishedEvent; interrupted: boolean }>;
}

/** Prints the runner's progress on stderr from now on and keeps its samples. */
export function followRun(ctx: CliContext, runner: Runner): RunFollower {
  const view = createProgressView(ctx.io.stderr);
  const samples: Sample[] = [];
  runner.on('run:progress', (e) => view.progress(e));
  runner.on('run:sample', (s) => {
    samples.push(s);
    view.sample(s);
  });
  runner.on('run:log', (e) => view.log(e));
  return {
    samples,
    stop: () => view.stop(),
    async finish(finished) {
      let interrupted = false;
      const unregister = ctx.onInterrupt(() => {
        interrupted = true;
        runner.cancel();
      });
      const event = await finished;
      unregister();
      view.stop();
      return { finished: event, interrupted };
    },
  };
}

/**
 * The closing lines on stderr: how the run ended, each target × benchmark's mean, and the command
 * that shows its findings and statistics (`scope` says which samples they come from, if needed).
 */
export function writeRunEnd(
  io: CliIo,
  event: FinishedEvent,
  samples: readonly Sample[],
  runId: string,
  scope = '',
): void {
  io.stderr.write(
    `\n${event.status}: ${event.message ?? ''}\n${runSummaryLines(samples)}\n` +
      `findings and statistics${scope}: benchvisor show ${runId}\n`,
  );
}
