import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { RunStore, parseSamples } from '../../src/main/store/runStore';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { RUN_ID_PATTERN, newRunId } from '../../src/main/store/runId';
import type { Sample } from '../../src/shared/sample';
import { tempDir } from './helpers';

function config() {
  const p = parseExperimentConfig({
    name: 'store test',
    platforms: ['native'],
    benchmarks: ['syscall'],
  });
  if (!p.ok) throw new Error(p.message);
  return p.config;
}

function sample(runId: string, rep: number, value: number | null): Sample {
  return {
    runId,
    platform: 'native',
    benchmark: 'syscall',
    rep,
    metric: 'nsPerCall',
    value,
    unit: 'ns',
    metrics: value === null ? {} : { nsPerCall: value },
    startedAt: new Date().toISOString(),
    durationMs: 3,
    exitCode: value === null ? 1 : 0,
    meta: {},
  };
}

describe('RunStore', () => {
  const tmp = tempDir('store');
  afterAll(() => tmp.cleanup());

  it('remove deletes a run folder by id only, never a path outside the runs folder', async () => {
    const runsDir = join(tmp.dir, 'runs-remove');
    const store = new RunStore({ runsDir });
    const w = store.create(config());
    await w.close();
    // A run-looking folder next to the runs folder must be out of reach.
    const outside = join(tmp.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'experiment.json'), '{}');
    for (const bad of ['../outside', outside, 'no-such-run', '']) {
      expect(() => store.remove(bad)).toThrow(/no run/);
    }
    expect(existsSync(join(outside, 'experiment.json'))).toBe(true);
    store.remove(w.runId);
    expect(existsSync(w.dir)).toBe(false);
    expect(store.list()).toEqual([]);
  });

  it('run ids are sortable timestamps with a random suffix', () => {
    const a = newRunId(new Date('2024-01-02T03:04:05Z'));
    expect(a).toMatch(RUN_ID_PATTERN);
    expect(a.startsWith('20240102-030405-')).toBe(true);
    expect(newRunId()).not.toBe(newRunId());
  });

  it('writes a run folder, lists it and reads it back; a torn line is skipped, a broken folder listed as damaged', async () => {
    const runsDir = join(tmp.dir, 'runs');
    const store = new RunStore({ runsDir });
    const w = store.create(config());
    w.appendSample(sample(w.runId, 1, 10));
    w.appendSample(sample(w.runId, 2, null));
    w.appendConsole('native', 'hello ');
    w.appendConsole('native', 'world');
    w.updateExperiment({ status: 'failed', finishedAt: new Date().toISOString() });
    w.writeSummary({ ok: true });
    await w.close();
    // A torn last line (crash mid-write) and folders that are not runs.
    appendFileSync(join(w.dir, 'samples.ndjson'), '{"runId":"x","plat');
    mkdirSync(join(runsDir, 'not-a-run'));
    mkdirSync(join(runsDir, 'broken'));
    writeFileSync(join(runsDir, 'broken', 'experiment.json'), '{ nope');
    writeFileSync(join(runsDir, 'stray.txt'), 'x');

    const list = store.list();
    expect(list.map((r) => r.runId).sort()).toEqual(['broken', w.runId].sort());
    expect(list.find((r) => r.runId === 'broken')?.damaged).toMatch(
      /experiment\.json is not valid JSON/,
    );
    expect(list.find((r) => r.runId === w.runId)).toMatchObject({
      runId: w.runId,
      name: 'store test',
      status: 'failed',
      sampleCount: 2,
      failedCount: 1,
      platforms: ['native'],
      benchmarks: ['syscall'],
      // The config's order (interleaved by default); the words name it for the history page.
      order: 'interleaved',
      orderText: expect.stringMatching(/^interleaved rounds/) as unknown as string,
    });
    const detail = store.get(w.runId);
    expect(detail.samples.map((s) => s.value)).toEqual([10, null]);
    expect(detail.summary).toEqual({ ok: true });
    expect(store.getDir(w.dir).item.runId).toBe(w.runId); // an explicit folder (CLI only)
    expect(() => store.get(w.dir)).toThrow(/no run/); // get() takes ids, never paths
    expect(readFileSync(join(w.dir, 'consoles', 'native.log'), 'utf8')).toBe('hello world');
    expect(() => store.get('../../etc')).toThrow(/no run/);
    expect(() => store.get('20990101-000000-deadbeef')).toThrow(/no run/);
    expect(parseSamples('{"a":1}\n\n').badLines).toBe(1);
  });

  it('a run whose process is gone is listed as interrupted', async () => {
    const store = new RunStore({ runsDir: join(tmp.dir, 'runs2') });
    const w = store.create(config());
    w.updateExperiment({ pid: 2 ** 22 + 12345 }); // no such process
    expect(store.list()[0]!.status).toBe('interrupted');
    w.updateExperiment({ pid: process.pid });
    expect(store.list()[0]!.status).toBe('running');
    await w.close();
  });

  it("records the probe's hostname, and judges only this host's running runs by their pid", async () => {
    const runsDir = join(tmp.dir, 'runs3');
    const here = new RunStore({ runsDir, host: createHostProbe({ hostname: 'here' }) });
    const w = here.create(config());
    expect(JSON.parse(readFileSync(join(w.dir, 'experiment.json'), 'utf8')).hostname).toBe('here');
    w.updateExperiment({ pid: 2 ** 22 + 12345 }); // no such process here
    expect(here.list()[0]!.status).toBe('interrupted');
    // another machine (the folder on a shared disk) cannot see that pid: it keeps saying running
    const there = new RunStore({ runsDir, host: createHostProbe({ hostname: 'there' }) });
    expect(there.list()[0]!.status).toBe('running');
    await w.close();
  });
});
