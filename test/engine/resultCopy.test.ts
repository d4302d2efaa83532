/** The native result-line side channel: what is parsed when the terminal lost the line. */
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RESULT_FILE_ENV } from '../../src/main/benchmarks/resultLine';
import { prepareResultCopy } from '../../src/main/platforms/native/resultCopy';
import { tempDir } from './helpers';

const LINE = '@@BENCHVISOR {"benchmark":"forksum","metrics":{"seconds":0.1},"params":{}}\n';

describe('result copy', () => {
  const tmp = tempDir('result-copy');
  afterAll(() => tmp.cleanup());

  it('names a fresh file in the scratch folder and keeps the rest of the environment', () => {
    const stale = `${tmp.dir}/result-line.txt`;
    writeFileSync(stale, LINE);
    const copy = prepareResultCopy(tmp.dir, { PATH: '/usr/bin', HOME: '/root' });
    expect(copy.env[RESULT_FILE_ENV]).toBe(stale);
    expect(copy.env.PATH).toBe('/usr/bin');
    // A copy left by an earlier repetition must not stand in for this one's result.
    expect(existsSync(stale)).toBe(false);
    expect(copy.settle('forksum: sum verified\r\n')).toEqual({
      stdout: 'forksum: sum verified\r\n',
      recovered: false,
    });
  });

  it('keeps the terminal output when it holds the result line, and removes the copy', () => {
    const copy = prepareResultCopy(tmp.dir, {});
    const path = copy.env[RESULT_FILE_ENV]!;
    writeFileSync(path, LINE);
    const terminal = `progress\r\n${LINE.replace('\n', '\r\n')}`;
    expect(copy.settle(terminal)).toEqual({ stdout: terminal, recovered: false });
    expect(existsSync(path)).toBe(false);
  });

  it('appends the copied line when the terminal lost it', () => {
    const copy = prepareResultCopy(tmp.dir, {});
    writeFileSync(copy.env[RESULT_FILE_ENV]!, LINE);
    expect(copy.settle('forksum: summing [1, 100]')).toEqual({
      stdout: `forksum: summing [1, 100]\n${LINE}`,
      recovered: true,
    });
  });

  it('does not invent a result from a copy without the marker', () => {
    const copy = prepareResultCopy(tmp.dir, {});
    writeFileSync(copy.env[RESULT_FILE_ENV]!, 'garbage\n');
    expect(copy.settle('')).toEqual({ stdout: '', recovered: false });
  });
});
