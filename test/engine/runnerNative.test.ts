/** The runner with the real native platform and real benchmark runners. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { processesMatching, waitFor } from './helpers';
import { nativeRunner, nativeTestDir } from './nativeRunner';

describe('runner on the native platform', () => {
  const tmp = nativeTestDir('runner-native');
  const { binDir } = tmp;

  it('cancel kills the running pty process and keeps the earlier samples', async () => {
    const { runner, tracker } = nativeRunner(binDir, join(tmp.dir, 'runs'));
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      benchmarks: ['syscall', { id: 'linpack', params: { seconds: 120 } }],
      repetitions: { count: 1 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const consoleText: string[] = [];
    runner.on('console:data', (e) => consoleText.push(e.data));
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const linpack = join(binDir, 'linpack');
    expect(await waitFor(() => processesMatching(linpack).length > 0, 30_000)).toBe(true);
    expect(tracker.labels()).toContain('native linpack');
    expect(runner.write('native', '\r')).toBe(true); // keystrokes reach the live pty
    expect(runner.cancel()).toBe(true);
    const fin = await started.value.finished;
    expect(fin.status).toBe('cancelled');
    expect(processesMatching(linpack)).toEqual([]);
    expect(tracker.size).toBe(0);
    const lines = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((s) => s.benchmark)).toEqual(['syscall']); // the killed linpack measured nothing
    expect(lines[0].value).toBeGreaterThan(0);
    expect(consoleText.join('')).toMatch(/linpack/);
    expect(existsSync(join(fin.dir, 'scratch'))).toBe(false);
  });

  it('a repetition that exceeds its timeout is killed and recorded as failed', async () => {
    const { runner } = nativeRunner(binDir, join(tmp.dir, 'runs2'));
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      benchmarks: [{ id: 'linpack', params: { seconds: 120 } }],
      repetitions: { count: 1 },
      timeouts: { repetitionSeconds: 1 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('failed');
    const sample = JSON.parse(readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8').trim());
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(/1 s|timeout|time/i);
    expect(processesMatching(join(binDir, 'linpack'))).toEqual([]);
  });
});
