/**
 * A Docker daemon that does not answer (wedged on a container it holds: frozen with a kill on
 * its way) must not hang an engine: the orphan sweep before every first run, a repetition's
 * kill and each platform's sweep as a whole are bounded, and what was left is said in words.
 * The daemon here is a constructed one whose chosen calls never settle (the real wedge needs a
 * race inside runc that cannot be produced on demand); the bounds are the logic under test.
 */
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepOrphans } from '../../src/main/platforms/docker';
import { killContainerProcesses } from '../../src/main/platforms/docker/execRunner';
import { resourceLabels } from '../../src/main/platforms/docker/labels';
import type { Platform } from '../../src/main/platforms/platform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { sweepPlatforms } from '../../src/main/run/orphanSweep';
import { ExperimentRunner } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import { answerWithin, settleWithin } from '../../src/main/util/deadline';
import { tempDir } from '../engine/helpers';
import { cfg, fakePlatform, listRunner } from '../engine/runnerFakes';
import { finishedRun } from '../support/finishedRun';

/** A platform's sweep report (what Platform.sweepOrphans resolves to). */
type SweepResult = Awaited<ReturnType<NonNullable<Platform['sweepOrphans']>>>;

/** A promise that never settles: the daemon's side of a wedged call. */
const never = <T>(): Promise<T> => new Promise<T>(() => {});
/** A bound short enough for a unit test; the real ones are seconds. */
const BOUND_MS = 50;

const HOST = 'probe-host';
/** A pid that has certainly exited, so its resources are leftovers. */
const DEAD_PID = 2 ** 22 + 7;
const leftover = resourceLabels({ runId: 'r', hostname: HOST, pid: DEAD_PID });

/** Containers by name; the ones in `stuck` never answer a remove. */
function daemon(names: string[], stuck: string[], listAnswers = true) {
  const removed: string[] = [];
  const docker = {
    listContainers: () =>
      listAnswers
        ? Promise.resolve(names.map((n) => ({ Id: `${n}-id`, Names: [`/${n}`], Labels: leftover })))
        : never(),
    listVolumes: () => Promise.resolve({ Volumes: [] }),
    getContainer: (id: string) => ({
      remove: () => {
        const name = id.replace(/-id$/, '');
        if (stuck.includes(name)) return never();
        removed.push(name);
        return Promise.resolve();
      },
    }),
  } as unknown as Dockerode;
  return { docker, removed };
}

describe('a Docker daemon that does not answer', () => {
  it('the sweep removes what it can and names the container the daemon held', async () => {
    const { docker, removed } = daemon(['a', 'held', 'b'], ['held']);
    const report = await sweepOrphans(docker, { hostname: HOST, callTimeoutMs: BOUND_MS });
    expect(removed).toEqual(['a', 'b']);
    expect(report.containers).toEqual(['a', 'b']);
    expect(report.problems).toHaveLength(1);
    expect(report.problems![0]).toMatch(/did not answer removing held within .*docker rm -f held/);
  });

  it('a sweep whose listing never comes back fails with the reason, in time', async () => {
    const { docker } = daemon(['a'], [], false);
    await expect(sweepOrphans(docker, { hostname: HOST, callTimeoutMs: BOUND_MS })).rejects.toThrow(
      /the Docker daemon \(listing leftover containers\) did not answer within/,
    );
  });

  it('a kill the daemon never carries out rejects after its bound instead of waiting', async () => {
    const container = {
      id: 'c0ffee0123456789',
      exec: () => never(),
    } as unknown as Dockerode.Container;
    await expect(killContainerProcesses(container, BOUND_MS)).rejects.toThrow(
      /killing the processes of container c0ffee012345\) did not answer within/,
    );
  });

  it("one platform's sweep that never ends is reported; the others' results stand", async () => {
    const hung = { ...fakePlatform('docker'), sweepOrphans: () => never<SweepResult>() };
    const fine = {
      ...fakePlatform('native'),
      sweepOrphans: () => Promise.resolve({ containers: [], volumes: [], processes: ['nginx 42'] }),
    };
    const out = await sweepPlatforms([hung, fine], BOUND_MS);
    expect(out.removed).toEqual(['native: removed nginx 42']);
    expect(out.problems).toEqual([
      "docker: orphan sweep failed: docker's orphan sweep did not answer within 50 ms",
    ]);
  });

  describe('the run', () => {
    const tmp = tempDir('daemon-no-answer');
    afterAll(() => tmp.cleanup());

    it("starts anyway, with the sweep's problems in its log", async () => {
      const runner = new ExperimentRunner({
        platforms: [fakePlatform('native')],
        runners: { linpack: listRunner('linpack', 'kflops', [100, 110]) },
        store: new RunStore({ runsDir: join(tmp.dir, 'runs') }),
        tracker: new ProcessTracker(),
        beforeRun: async () => {
          const out = await sweepPlatforms(
            [{ ...fakePlatform('docker'), sweepOrphans: () => never<SweepResult>() }],
            BOUND_MS,
          );
          return out.problems.map((message) => ({ level: 'warn' as const, message }));
        },
      });
      const { fin, ndjson } = await finishedRun(
        runner,
        cfg({ platforms: ['native'], repetitions: { count: 2 } }),
      );
      expect(fin.status).toBe('completed');
      const log = ndjson<{ level: string; message: string }>('run.log.ndjson');
      expect(log).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringMatching(/docker: orphan sweep failed: .*did not answer/),
        }),
      );
    });

    it('keeps what was to be logged once for the next run when planning refuses one', async () => {
      let logged = 0;
      const runner = new ExperimentRunner({
        platforms: [fakePlatform('native')],
        runners: { linpack: listRunner('linpack', 'kflops', [100, 110]) },
        store: new RunStore({ runsDir: join(tmp.dir, 'runs-refused') }),
        tracker: new ProcessTracker(),
        beforeRun: async () =>
          logged > 0 ? [] : [{ level: 'info', message: 'removed benchvisor-orphan' }],
        notesLogged: () => void logged++,
      });
      // No Docker platform in this engine: refused while it is planned, before any run folder.
      const refused = await runner.start(cfg({ platforms: ['docker'], repetitions: { count: 2 } }));
      expect(refused.ok).toBe(false);
      expect(logged).toBe(0);
      const { fin, ndjson } = await finishedRun(
        runner,
        cfg({ platforms: ['native'], repetitions: { count: 2 } }),
      );
      expect(fin.status).toBe('completed');
      expect(logged).toBe(1);
      expect(ndjson<{ message: string }>('run.log.ndjson')).toContainEqual(
        expect.objectContaining({ message: 'removed benchvisor-orphan' }),
      );
    });
  });
});

describe('deadline helpers', () => {
  it('settleWithin gives the value in time and "timeout" past the bound', async () => {
    expect(await settleWithin(Promise.resolve(3), BOUND_MS)).toBe(3);
    expect(await settleWithin(never(), BOUND_MS)).toBe('timeout');
  });
  it('settleWithin leaves no timer behind once the promise settled', async () => {
    // A bare race with a timer kept a process alive for the whole bound (a guest's dispose
    // held every `benchvisor run` 5 s past its end); the helper clears its timer.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    expect(await settleWithin(Promise.resolve('quit'), 600_000)).toBe('quit');
    expect(timers()).toBe(before);
  });
  it('answerWithin names who did not answer, and passes rejections through', async () => {
    await expect(answerWithin(never(), 1000, 'the daemon')).rejects.toThrow(
      'the daemon did not answer within 1 s',
    );
    await expect(answerWithin(Promise.reject(new Error('refused')), BOUND_MS, 'x')).rejects.toThrow(
      'refused',
    );
  });
});
