/**
 * The host's CPU split during every repetition, measured for real: a short native run with a real
 * CPU-burning process beside it (started outside the run's process tree, bounded in time) records
 * the burner in every sample's meta.hostCpu; the other-load finding follows the measured share.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { computeFindings } from '../../src/shared/findings';
import { OTHER_LOAD_WARN_PERCENT } from '../../src/shared/findings/hostNoise';
import type { HostCpuSplit } from '../../src/shared/host/procStat';
import { parsePidStat } from '../../src/shared/host/procStat';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { collectEnvironment } from '../../src/main/run/environment';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { privateBinDir, processesMatching, tempDir } from './helpers';
import { nativeRunner } from './nativeRunner';

/** The burner stops by itself after this long, whatever happens to the test. */
const BURN_SECONDS = 90;

/**
 * Starts a CPU burner that is NOT below this process: an intermediate node process spawns it
 * detached and exits, so the burner is re-parented (as any unrelated program on the host would
 * be). Returns the burner's pid.
 */
function startBurner(): number {
  const burner = `const end = Date.now() + ${BURN_SECONDS * 1000}; let x = 0; while (Date.now() < end) x++;`;
  const launcher =
    "const c = require('node:child_process').spawn(process.execPath, ['-e', process.argv[1]], " +
    "{ detached: true, stdio: 'ignore' }); console.log(c.pid); c.unref();";
  const r = spawnSync(process.execPath, ['-e', launcher, burner], { encoding: 'utf8' });
  const pid = Number(r.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`burner did not start: ${r.stderr}`);
  return pid;
}

/** How often the test looks for the run's benchmark processes in /proc while it runs. */
const RUN_PID_POLL_MS = 50;

describe('host CPU split during a real native run with a CPU burner beside it', () => {
  const tmp = tempDir('host-load');
  const binDir = join(tmp.dir, 'bin');
  let burnerPid = 0;
  beforeAll(() => {
    privateBinDir(tmp.dir);
    burnerPid = startBurner();
  });
  afterAll(() => {
    try {
      process.kill(burnerPid, 'SIGKILL');
    } catch {
      // already gone
    }
    tmp.cleanup();
  });

  it('records the burner in every sample; the other-load finding follows the measured share', async () => {
    // The burner is outside our process tree (its parent is not us).
    const stat = parsePidStat(readFileSync(`/proc/${burnerPid}/stat`, 'utf8'))!;
    expect(stat.ppid).not.toBe(process.pid);

    const host = createHostProbe();
    const { runner, tracker } = nativeRunner(binDir, join(tmp.dir, 'runs'), {
      hostCpu: host.cpu,
      collectEnvironment: () => collectEnvironment(host),
    });
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      benchmarks: [{ id: 'linpack', params: { seconds: 1 } }],
      repetitions: { count: 3 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    // The run's benchmark processes (they run from this file's private copy), seen while it runs.
    const runPids = new Set<number>();
    const watch = setInterval(() => {
      for (const pid of processesMatching(binDir)) runPids.add(pid);
    }, RUN_PID_POLL_MS);
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished.finally(() => clearInterval(watch));
    expect(fin.status).toBe('completed');
    expect(runPids.size).toBeGreaterThan(0);
    // Nothing of the run is left (its benchmarks run from this file's private copy).
    expect(tracker.size).toBe(0);
    expect(processesMatching(binDir)).toEqual([]);

    const samples = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Sample);
    expect(samples).toHaveLength(3);
    const burnerShares: number[] = [];
    for (const s of samples) {
      const cpu = s.meta.hostCpu as HostCpuSplit;
      // The /proc/stat split of the repetition adds up to 100% of the host's CPU time.
      const sum =
        cpu.userPercent +
        cpu.systemPercent +
        cpu.iowaitPercent +
        cpu.stealPercent +
        cpu.idlePercent +
        cpu.otherPercent;
      expect(sum).toBeGreaterThan(99.5);
      expect(sum).toBeLessThan(100.5);
      expect(cpu.seconds).toBeGreaterThan(0.9); // linpack --seconds 1
      const burner = cpu.topOthers.find((o) => o.pid === burnerPid);
      expect(burner, JSON.stringify(cpu.topOthers)).toBeDefined();
      burnerShares.push(burner!.cpuPercent);
      // The total of other load includes the burner's share.
      expect(cpu.othersCpuPercent).toBeGreaterThanOrEqual(burner!.cpuPercent);
      // Never the benchmark itself: the run's linpack belongs to the run (checked by pid: another
      // test file running beside this one may run a linpack of its own, rightly another process).
      expect(cpu.topOthers.filter((o) => runPids.has(o.pid))).toEqual([]);
    }
    const burnerMean = burnerShares.reduce((a, b) => a + b, 0) / burnerShares.length;
    // The sampler attributed CPU time to the busy loop in every repetition. How much it gets
    // depends on the host's load, so no share is asserted: thresholds are tested on constructed
    // samples (hostNoise.test.ts, findingsThresholds.test.ts).
    expect(burnerShares.every((share) => share > 0)).toBe(true);
    console.log(`burner share of a CPU per repetition: ${burnerShares.join(', ')} %`);

    const environment = JSON.parse(readFileSync(join(fin.dir, 'environment.json'), 'utf8'));
    expect(environment.host.aslr).toMatch(/^(off|partial|full) \(\d\)$|^unknown$/);
    const findings = computeFindings({ samples, summary: summarize(samples), environment });
    // The finding reads what the repetitions measured: raised exactly when the measured mean
    // share of other processes reaches the threshold, and then it counts the burner's share.
    const othersMean =
      samples.reduce((sum, s) => sum + (s.meta.hostCpu as HostCpuSplit).othersCpuPercent, 0) /
      samples.length;
    const load = findings.find((f) => f.id === 'other-load:native');
    if (othersMean >= OTHER_LOAD_WARN_PERCENT) {
      expect(load, findings.map((f) => f.id).join(', ')).toBeDefined();
      expect(load!.numbers['other processes, mean % of a CPU']).toBeGreaterThanOrEqual(
        burnerMean - 0.1,
      );
    } else {
      expect(load).toBeUndefined();
    }
  }, 120_000);
});
