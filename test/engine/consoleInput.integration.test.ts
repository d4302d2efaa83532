/**
 * Consoles on the real native platform: keys typed while a measured repetition runs are recorded
 * in that sample's meta and named by a finding; the console shows each repetition's command
 * header but not the benchmark's protocol line, which the transcript on disk keeps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { computeFindings } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats/summary';
import type { Sample } from '../../src/shared/sample';
import { processesMatching, waitFor } from './helpers';
import { nativeRunner, nativeTestDir } from './nativeRunner';

describe('console input and protocol lines on the native platform', () => {
  const tmp = nativeTestDir('console-input');
  const { binDir } = tmp;

  it('records keys typed during a measured repetition and hides the result line', async () => {
    const { runner, tracker } = nativeRunner(binDir, join(tmp.dir, 'runs'));
    // Repetition 1 runs untouched; repetition 2 gets the keys (it lasts seconds, so they land in it).
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      benchmarks: [{ id: 'linpack', params: { size: 100, seconds: 3 } }],
      repetitions: { count: 2, warmup: 0 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const shown: string[] = [];
    runner.on('console:data', (e) => shown.push(e.data));
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const linpack = join(binDir, 'linpack');
    const headers = () => shown.join('').split('# benchvisor (native): ').length - 1;
    // The second repetition's header is out and its process runs: type into it.
    expect(
      await waitFor(() => headers() === 2 && processesMatching(linpack).length > 0, 60_000),
    ).toBe(true);
    expect(runner.write('native', 'ab')).toBe(true);
    expect(runner.write('native', '\r')).toBe(true);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');

    const samples: Sample[] = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(samples.map((s) => s.rep)).toEqual([1, 2]);
    expect(samples[0]!.meta.consoleInput).toBeUndefined();
    const input = samples[1]!.meta.consoleInput as Record<string, number>;
    expect(input).toMatchObject({ bytes: 3, writes: 2 });
    expect(input.firstAtMs).toBeLessThanOrEqual(input.lastAtMs!);

    const finding = computeFindings({ samples, summary: summarize(samples) }).find((f) =>
      f.id.startsWith('console-input:'),
    );
    expect(finding?.title).toBe(
      'LINPACK on Native repetition 2 had console input: its time may include it',
    );

    const live = shown.join('');
    expect(live).toContain(`# benchvisor (native): ${linpack} --size 100`);
    expect(live).not.toContain('@@BENCHVISOR');
    const transcript = readFileSync(join(fin.dir, 'consoles', 'native.log'), 'utf8');
    expect(transcript.split('@@BENCHVISOR').length - 1).toBe(2);
    expect(tracker.size).toBe(0);
  });
});
