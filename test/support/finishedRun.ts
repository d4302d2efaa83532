/**
 * A run started on a runner and waited for to its end, with its files read back: the steps
 * runner tests repeat (start, refuse on an error, await finished, parse an NDJSON file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentRunner, StartOptions } from '../../src/main/run/runner';
import type { ExperimentConfig } from '../../src/shared/config';
import type { FinishedEvent } from '../../src/shared/run';

export interface FinishedRun {
  fin: FinishedEvent;
  /** The lines of one NDJSON file of the run (samples.ndjson, run.log.ndjson, …), parsed. */
  ndjson<T>(name: string): T[];
}

export async function finishedRun(
  runner: ExperimentRunner,
  config: ExperimentConfig,
  opts?: StartOptions,
): Promise<FinishedRun> {
  const started = await runner.start(config, opts);
  if (!started.ok) throw new Error(started.error.message);
  const fin = await started.value.finished;
  return {
    fin,
    ndjson: <T>(name: string) =>
      readFileSync(join(fin.dir, name), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as T),
  };
}
