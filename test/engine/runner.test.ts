/**
 * Runner logic with fake platforms and benchmark runners (the real binaries
 * run in cli.test.ts and runnerNative.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogEvent, ProgressEvent } from '../../src/shared/run';
import { decideStop } from '../../src/shared/stats/adaptive';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { ExperimentRunner, type CellRecord } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import { ProcessTracker } from '../../src/main/process/tracker';
import { tempDir } from './helpers';
import { cfg, fakePlatform, listRunner } from './runnerFakes';

describe('ExperimentRunner', () => {
  const tmp = tempDir('runner');
  afterAll(() => tmp.cleanup());
  let n = 0;
  const store = () => new RunStore({ runsDir: join(tmp.dir, `runs${n++}`) });

  it('runs the matrix, discards warmups (logged only), records samples and events', async () => {
    const linpack = listRunner('linpack', 'kflops', [100, 110, 120, 130]);
    const runner = new ExperimentRunner({
      platforms: [fakePlatform('native'), fakePlatform('docker')],
      runners: { linpack },
      store: store(),
      tracker: new ProcessTracker(),
    });
    const progress: ProgressEvent[] = [];
    const logs: LogEvent[] = [];
    const consoles: { platform: string; offset: number }[] = [];
    runner.on('run:progress', (e) => progress.push(e));
    runner.on('run:log', (e) => logs.push(e));
    runner.on('console:data', (e) => consoles.push(e));
    const started = await runner.start(
      cfg({
        platforms: ['native', 'docker'],
        // Today's order, one boot per target: this test reads the order of events.
        repetitions: { count: 3, warmup: 1, order: 'sequential', instances: 1 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');
    expect(fin.measured).toBe(6);
    expect(linpack.calls).toBe(8); // 2 platforms × (1 warmup + 3)
    const lines = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    // the warmup value (100) is discarded on the first platform
    expect(lines.filter((s) => s.platform === 'native').map((s) => s.value)).toEqual([
      110, 120, 130,
    ]);
    expect(lines.map((s) => s.rep)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(lines[0].meta.vcpus).toBe(1);
    expect(lines[0].unit).toBe('KFLOPS');
    expect(logs.some((l) => /warmup 1\/1 linpack on native: 100/.test(l.message))).toBe(true);
    const last = progress.at(-1)!;
    expect(last.done).toBe(8);
    expect(last.total).toBe(8);
    expect(last.perTarget).toEqual({
      native: { done: 4, total: 4 },
      docker: { done: 4, total: 4 },
    });
    expect(progress.some((p) => p.etaMs !== null && p.etaMs > 0)).toBe(true);
    expect(consoles.map((c) => c.offset)).toEqual([13, 13]); // "native ready\n" and "docker ready\n" are 13 bytes
    const exp = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8'));
    expect(exp.status).toBe('completed');
    expect(exp.finishedAt).toBeTruthy();
    expect(readFileSync(join(fin.dir, 'consoles', 'docker.log'), 'utf8')).toBe('docker ready\n');
  });

  it('refuses unavailable platforms unless skipUnavailable, then records why', async () => {
    const deps = {
      platforms: [fakePlatform('native'), fakePlatform('qemu-kvm', { available: false })],
      runners: {
        linpack: listRunner('linpack', 'kflops', [1]),
        memsweep: listRunner('memsweep', 'seconds', [1]),
      },
      store: store(),
      tracker: new ProcessTracker(),
    };
    const refused = await new ExperimentRunner(deps).start(
      cfg({ platforms: ['native', 'qemu-kvm'] }),
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('UNAVAILABLE');
      expect(refused.error.message).toMatch(
        /qemu-kvm: qemu-kvm is switched off \(fix: switch it on\)/,
      );
    }
    expect(deps.store.list()).toHaveLength(0); // nothing created
    const started = await new ExperimentRunner(deps).start(
      cfg({
        platforms: ['native', 'qemu-kvm'],
        benchmarks: ['linpack', 'memsweep'],
        skipUnavailable: true,
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');
    const exp = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8'));
    expect(exp.skipped).toEqual([
      { platform: 'qemu-kvm', reason: 'qemu-kvm is switched off (fix: switch it on)' },
    ]);
    expect(readFileSync(join(fin.dir, 'run.log.ndjson'), 'utf8')).toMatch(/skipped qemu-kvm/);
    // Every benchmark of the skipped platform is a skipped cell, with the reason.
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as {
      platform: string;
      benchmark: string;
      status: string;
      reason?: string;
    }[];
    expect(
      cells.filter((c) => c.platform === 'qemu-kvm').map((c) => [c.benchmark, c.status, c.reason]),
    ).toEqual([
      ['linpack', 'skipped', 'qemu-kvm is switched off (fix: switch it on)'],
      ['memsweep', 'skipped', 'qemu-kvm is switched off (fix: switch it on)'],
    ]);
  });

  it('a platform that fails to prepare fails its cells with the reason; the others continue', async () => {
    const bad = fakePlatform('qemu-tcg', { prepareFails: true });
    const runner = new ExperimentRunner({
      platforms: [bad, fakePlatform('native')],
      runners: {
        linpack: listRunner('linpack', 'kflops', [5]),
        syscall: listRunner('syscall', 'nsPerCall', [7]),
      },
      store: store(),
      tracker: new ProcessTracker(),
    });
    const started = await runner.start(
      cfg({
        platforms: ['qemu-tcg', 'native'],
        benchmarks: ['linpack', 'syscall'],
        repetitions: { count: 2, order: 'sequential', instances: 1 },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('failed');
    expect(fin.failed).toBe(4);
    expect(fin.measured).toBe(8);
    const lines = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const tcg = lines.filter((s) => s.platform === 'qemu-tcg');
    expect(
      tcg.every((s) => s.value === null && /qemu-tcg failed to prepare: boot failed/.test(s.error)),
    ).toBe(true);
    expect(lines.filter((s) => s.platform === 'native').map((s) => s.value)).toEqual([5, 5, 7, 7]);
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    expect(cells.filter((c) => c.platform === 'qemu-tcg').every((c) => c.status === 'failed')).toBe(
      true,
    );
  });

  it('skipUnavailable: a platform unavailable only at prepare is skipped, not failed', async () => {
    for (const skipUnavailable of [true, false]) {
      const runner = new ExperimentRunner({
        platforms: [fakePlatform('qemu-kvm', { prepareUnavailable: true }), fakePlatform('native')],
        runners: { linpack: listRunner('linpack', 'kflops', [5]) },
        store: store(),
        tracker: new ProcessTracker(),
      });
      const started = await runner.start(
        cfg({ platforms: ['qemu-kvm', 'native'], repetitions: { count: 2 }, skipUnavailable }),
      );
      if (!started.ok) throw new Error(started.error.message);
      const fin = await started.value.finished;
      const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
      const kvm = cells.find((c) => c.platform === 'qemu-kvm')!;
      if (skipUnavailable) {
        expect(fin.status).toBe('completed');
        expect(kvm).toMatchObject({ status: 'skipped', measured: 0 });
        expect(kvm.reason).toMatch(/unavailable: KVM could not start \(EBUSY\). Fix: stop/);
      } else {
        expect(kvm.status).toBe('failed');
      }
    }
  });

  it('a failing repetition is kept as a sample with value null and the error', async () => {
    const runner = new ExperimentRunner({
      platforms: [fakePlatform('native')],
      runners: { linpack: listRunner('linpack', 'kflops', [1, null, 3]) },
      store: store(),
      tracker: new ProcessTracker(),
    });
    const started = await runner.start(cfg({ repetitions: { count: 3 } }));
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('failed');
    expect(fin.failed).toBe(1);
    const lines = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((s) => s.value)).toEqual([1, null, 3]);
    expect(lines[1].error).toBe('exit code 1');
    expect(lines[1].exitCode).toBe(1);
  });

  it('adaptive repetitions stop by the rule and record the rule and the reason per cell', async () => {
    const runStore = store();
    const runner = new ExperimentRunner({
      platforms: [fakePlatform('native')],
      runners: {
        linpack: listRunner('linpack', 'kflops', [100, 100.1, 99.9, 100]),
        syscall: listRunner('syscall', 'nsPerCall', [10, 50, 10, 50, 10, 50]),
      },
      store: runStore,
      tracker: new ProcessTracker(),
      decideStop,
    });
    const started = await runner.start(
      cfg({
        benchmarks: ['linpack', 'syscall'],
        repetitions: {
          adaptive: { enabled: true, minRepetitions: 3, maxRepetitions: 6, targetCiPercent: 5 },
        },
      }),
    );
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as CellRecord[];
    const lin = cells.find((c) => c.benchmark === 'linpack')!;
    const sys = cells.find((c) => c.benchmark === 'syscall')!;
    expect(lin.measured).toBe(3); // tight values: stops at the minimum
    expect(lin.adaptive?.stopReason).toMatch(/≤ 5%/);
    expect(lin.adaptive?.rule.maxRepetitions).toBe(6);
    expect(sys.measured).toBe(6); // noisy values: runs to the cap
    expect(sys.adaptive?.stopReason).toMatch(/cap of 6/);
    // The run's detail (what the results page shows) carries the same records.
    const detail = runStore.get(fin.runId);
    expect(detail.cells?.find((c) => c.benchmark === 'syscall')?.adaptive?.stopReason).toBe(
      sys.adaptive?.stopReason,
    );
  });

  it('cancel stops the run, disposes the session and keeps the samples so far', async () => {
    let calls = 0;
    const platform = fakePlatform('native');
    const slow: BenchmarkRunner = {
      id: 'linpack',
      run: (_s, _p, opts) =>
        new Promise((resolve) => {
          calls++;
          if (calls <= 2)
            return resolve({ metrics: { kflops: calls }, exitCode: 0, durationMs: 1 });
          opts.signal.addEventListener('abort', () =>
            resolve({ metrics: {}, exitCode: null, durationMs: 1, error: 'cancelled' }),
          );
        }),
    };
    const runner = new ExperimentRunner({
      platforms: [platform],
      runners: { linpack: slow },
      store: store(),
      tracker: new ProcessTracker(),
    });
    runner.on('run:progress', (e) => {
      if (e.current?.rep === 3) runner.cancel();
    });
    const started = await runner.start(cfg({ repetitions: { count: 10 } }));
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('cancelled');
    expect(fin.measured).toBe(2);
    expect(platform.disposed).toBe(1);
    expect(runner.current).toBeNull();
    const exp = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8'));
    expect(exp.status).toBe('cancelled');
  });
});
