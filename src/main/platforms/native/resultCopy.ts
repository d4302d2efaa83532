/**
 * The result-line side channel of native runs. A pseudo-terminal can lose the
 * last bytes a short-lived program writes when the host is busy (node-pty
 * issues #72 and #726: the child's exit races the master's final read), and a
 * lost @@BENCHVISOR line would fail a repetition that actually succeeded. The
 * benchmarks therefore also write their result line to the file named by
 * BENCHVISOR_RESULT_FILE (bench_common.h), and the native session reads it
 * back when the terminal output lacks the line. The terminal stays the console.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_FILE_ENV, withResultCopy } from '../../benchmarks/resultLine';

/** File name of the copy inside the session's scratch folder. */
const RESULT_FILE_NAME = 'result-line.txt';

export interface ResultCopy {
  /** Environment for the benchmark: the caller's plus RESULT_FILE_ENV. */
  env: NodeJS.ProcessEnv;
  /**
   * The output to parse: the terminal output as is when it holds a result
   * line, else the terminal output followed by the copied line (recovered:
   * true). Removes the copy either way.
   */
  settle(terminalOutput: string): { stdout: string; recovered: boolean };
}

/** Prepares a fresh copy file in `scratchDir` for one repetition. */
export function prepareResultCopy(scratchDir: string, baseEnv: NodeJS.ProcessEnv): ResultCopy {
  const path = join(scratchDir, RESULT_FILE_NAME);
  rmSync(path, { force: true });
  return {
    env: { ...baseEnv, [RESULT_FILE_ENV]: path },
    settle(terminalOutput) {
      let copy: string | null = null;
      try {
        copy = readFileSync(path, 'utf8');
      } catch {
        /* the benchmark failed before printing a result: nothing to recover */
      }
      rmSync(path, { force: true });
      return withResultCopy(terminalOutput, copy);
    },
  };
}
