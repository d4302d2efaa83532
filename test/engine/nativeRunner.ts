/**
 * Engine tests on the real native platform: a file's private copy of the benchmark binaries and
 * the runner over them. Apart from helpers.ts because it loads the runner and the native
 * platform, which the many unit tests importing helpers.ts do not need (0.7 s of import each).
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { NativePlatform } from '../../src/main/platforms/native/nativePlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { ExperimentRunner, type ExperimentRunnerDeps } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import { privateBinDir, tempDir } from './helpers';

/**
 * A test file's temp folder holding a private copy of the benchmark binaries in `binDir` (made
 * in beforeAll, removed in afterAll): call it in the file's describe block.
 */
export function nativeTestDir(prefix: string): { dir: string; binDir: string } {
  const tmp = tempDir(prefix);
  beforeAll(() => void privateBinDir(tmp.dir));
  afterAll(() => tmp.cleanup());
  return { dir: tmp.dir, binDir: join(tmp.dir, 'bin') };
}

/**
 * The runner on the real native platform with the real benchmark runners: the binaries from
 * `binDir`, the run folders in `runsDir`; `deps` adds collaborators (summarize, decideStop, ...).
 */
export function nativeRunner(
  binDir: string,
  runsDir: string,
  deps: Partial<ExperimentRunnerDeps> = {},
): { runner: ExperimentRunner; tracker: ProcessTracker; store: RunStore } {
  const tracker = new ProcessTracker();
  const runners = createBenchmarkRunners();
  const store = new RunStore({ runsDir });
  const runner = new ExperimentRunner({
    platforms: [new NativePlatform({ benchBinDir: binDir, tracker, runners })],
    runners,
    store,
    tracker,
    ...deps,
  });
  return { runner, tracker, store };
}
