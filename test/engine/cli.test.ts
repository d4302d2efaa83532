/** The CLI end to end, spawned as a real process running the real binaries. */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_IDS, CATALOGUE } from '../../src/shared/catalogue';
import { SampleSchema } from '../../src/shared/sample';
import { loadConfigFile } from '../../src/main/cli/run';
import { DoctorReportSchema } from '../../src/shared/platforms';
import { HOST_SERVICE_DIR_PREFIX } from '../../src/main/platforms/native/hostService';
import {
  BENCH_BIN_DIR,
  BINARIES,
  ROOT,
  ensureBenchBuilt,
  processesMatching,
  tempDir,
  waitFor,
} from './helpers';
import { builtCli } from '../support/builtApp';
import { hostHasKvm } from '../support/hostSwitches';

/** The built CLI (`npm run build`), spawned as users run it. */
const CLI = builtCli();

describe('benchvisor CLI', () => {
  const tmp = tempDir('cli');
  const runs = join(tmp.dir, 'runs');
  const binDir = join(tmp.dir, 'bin');
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    BENCHVISOR_RUNS: runs,
    BENCHVISOR_CACHE: join(tmp.dir, 'cache'),
    BENCHVISOR_BENCH_DIR: binDir,
    ...extra,
  });
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: env(extra),
      encoding: 'utf8',
      timeout: 170_000,
    });
  /** Docker pointed at a socket nobody listens on: the platform that is unavailable everywhere. */
  const DEAD_DOCKER = { DOCKER_HOST: `unix://${join(tmp.dir, 'no-daemon.sock')}` };
  const writeConfig = (name: string, config: unknown) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, typeof config === 'string' ? config : JSON.stringify(config));
    return p;
  };

  beforeAll(() => {
    ensureBenchBuilt();
    // A private copy of the binaries: process scans then only see this test's benchmarks.
    mkdirSync(binDir);
    for (const b of BINARIES) copyFileSync(join(BENCH_BIN_DIR, b), join(binDir, b));
  });
  afterAll(() => tmp.cleanup());

  it('runs examples/quick-native.json: all six benchmarks × 5, one sample line per repetition', () => {
    const r = cli(['run', 'examples/quick-native.json']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const dir = lines.at(-1)!;
    expect(dir.startsWith(runs)).toBe(true);
    expect(r.stderr).toMatch(/ETA/);
    expect(r.stdout).not.toMatch(/@@BENCHVISOR/); // console output stays off stdout
    const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => SampleSchema.parse(JSON.parse(l)));
    expect(samples).toHaveLength(30);
    for (const b of BENCHMARK_IDS) {
      const mine = samples.filter((s) => s.benchmark === b);
      expect(mine.map((s) => s.rep)).toEqual([1, 2, 3, 4, 5]);
      const def = CATALOGUE[b];
      const main = def.metrics.find((m) => m.key === def.mainMetric)!;
      for (const s of mine) {
        expect(s.value).toBeGreaterThan(0);
        // the sample carries the catalogue's main metric, its unit and its value
        expect(s.metric).toBe(def.mainMetric);
        expect(s.unit).toBe(main.unit);
        expect(s.metrics[def.mainMetric]).toBe(s.value);
        expect(s.durationMs).toBeGreaterThan(0);
        expect(s.exitCode).toBe(0);
        expect(s.meta.cpus).toBeGreaterThan(0);
      }
    }
    const env = JSON.parse(readFileSync(join(dir, 'environment.json'), 'utf8'));
    expect(env.cores).toBeGreaterThan(0);
    expect(env.tools.nginx).toMatch(/nginx/);
    expect(JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).status).toBe('completed');
    expect(readFileSync(join(dir, 'consoles', 'native.log'), 'utf8')).toMatch(/@@BENCHVISOR/);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, 'scratch'))).toBe(false);

    const list = cli(['list', '--json']);
    expect(list.status).toBe(0);
    const items = JSON.parse(list.stdout);
    expect(items.find((i: { dir: string }) => i.dir === dir)).toMatchObject({
      status: 'completed',
      sampleCount: 30,
      failedCount: 0,
    });
  });

  it('rejects invalid configs with exit 2 and names the field', () => {
    // Each message, checked in-process (quick) ...
    const cases: [unknown, RegExp][] = [
      [{ platforms: ['native'], benchmarks: ['linpack'], repetitons: 3 }, /repetitons/],
      [
        { platforms: ['native'], benchmarks: [{ id: 'linpack', params: { size: -1 } }] },
        /benchmarks\.0\.params\.size/,
      ],
      [{ platforms: ['vmware'], benchmarks: ['linpack'] }, /platforms\.0/],
      [
        { platforms: ['native'], benchmarks: [{ id: 'forksum', params: { start: 10, end: 1 } }] },
        /benchmarks\.0\.params\.end/,
      ],
      [
        { platforms: ['native'], benchmarks: ['linpack'], repetitions: { count: 0 } },
        /repetitions\.count/,
      ],
      ['{ not json', /not valid JSON/],
    ];
    for (const [config, message] of cases) {
      const loaded = loadConfigFile(writeConfig('bad.json', config));
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(loaded.message).toMatch(message);
    }
    // ... and through the real CLI process: message on stderr, exit code 2.
    const r = cli(['run', writeConfig('bad.json', cases[1]![0])]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/benchmarks\.0\.params\.size/);
    const missing = cli(['run', join(tmp.dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config file/);
    const usage = cli(['run', '--bogus', 'x.json']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/bogus/);
  });

  it('refuses an unavailable platform (exit 2) unless --skip-unavailable', () => {
    // Docker pointed at a socket nobody listens on: unavailable on every host.
    const p = writeConfig('dead-docker.json', {
      platforms: ['native', 'docker'],
      benchmarks: ['syscall'],
      repetitions: { count: 1 },
    });
    const runsBefore = existsSync(runs) ? readdirSync(runs).length : 0;
    const refused = cli(['run', p], DEAD_DOCKER);
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/docker.*no-daemon\.sock/);
    // refused before any run folder is made
    expect(existsSync(runs) ? readdirSync(runs).length : 0).toBe(runsBefore);
    const skipped = cli(
      ['run', p, '--skip-unavailable', '--out', join(tmp.dir, 'out')],
      DEAD_DOCKER,
    );
    expect(skipped.status, skipped.stderr).toBe(0);
    const dir = skipped.stdout.trim().split('\n').at(-1)!;
    expect(dir.startsWith(join(tmp.dir, 'out'))).toBe(true);
    const exp = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
    expect(exp.skipped).toHaveLength(1);
    expect(exp.skipped[0].platform).toBe('docker');
    expect(exp.skipped[0].reason).toMatch(/no-daemon\.sock/);
    const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8').trim().split('\n');
    expect(samples.map((l) => SampleSchema.parse(JSON.parse(l)).platform)).toEqual(['native']);
  });

  it('a failing benchmark gives exit 1 with the samples kept', () => {
    const failDir = join(tmp.dir, 'failbin');
    mkdirSync(failDir);
    for (const b of BINARIES) copyFileSync(join(binDir, b), join(failDir, b));
    // A real program that fails the way a broken benchmark does: message on stderr, exit 3.
    writeFileSync(
      join(failDir, 'syscall'),
      '#!/bin/sh\necho "syscall: simulated failure" >&2\nexit 3\n',
      { mode: 0o755 },
    );
    const p = writeConfig('fail.json', {
      platforms: ['native'],
      benchmarks: ['linpack', 'syscall'],
      repetitions: { count: 2 },
    });
    const r = cli(['run', p], { BENCHVISOR_BENCH_DIR: failDir });
    expect(r.status, r.stderr).toBe(1);
    const dir = r.stdout.trim().split('\n').at(-1)!;
    const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(samples).toHaveLength(4);
    const passed = samples.filter((s) => s.benchmark === 'linpack');
    expect(passed.map((s) => s.rep)).toEqual([1, 2]);
    for (const s of passed) expect(s.value).toBeGreaterThan(0);
    const failed = samples.filter((s) => s.benchmark === 'syscall');
    expect(failed.map((s) => s.rep)).toEqual([1, 2]);
    for (const s of failed) {
      expect(s).toMatchObject({ value: null, exitCode: 3 });
      expect(s.error).toMatch(/exited with code 3.*simulated failure/s);
    }
    expect(JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).status).toBe('failed');
  });

  it('SIGKILL mid-run keeps every earlier sample readable and leaves no benchmark process', async () => {
    const p = writeConfig('long.json', {
      platforms: ['native'],
      benchmarks: [{ id: 'linpack', params: { seconds: 0.3 } }],
      repetitions: { count: 50 },
    });
    const killRuns = join(tmp.dir, 'killruns');
    const child = spawn(process.execPath, [CLI, 'run', p], {
      cwd: ROOT,
      env: env({ BENCHVISOR_RUNS: killRuns }),
      stdio: 'ignore',
    });
    const samplesFile = (): string | null => {
      if (!existsSync(killRuns)) return null;
      const d = readdirSync(killRuns)[0];
      return d ? join(killRuns, d, 'samples.ndjson') : null;
    };
    const countLines = (): number => {
      const f = samplesFile();
      return f && existsSync(f)
        ? readFileSync(f, 'utf8')
            .split('\n')
            .filter((l) => l !== '').length
        : 0;
    };
    expect(await waitFor(() => countLines() >= 3, 60_000)).toBe(true);
    // Kill while a repetition is running (the benchmark process exists).
    expect(await waitFor(() => processesMatching(join(binDir, 'linpack')).length > 0, 10_000)).toBe(
      true,
    );
    const before = countLines();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The pty's hang-up ends the benchmark, nothing is left running.
    expect(
      await waitFor(() => processesMatching(join(binDir, 'linpack')).length === 0, 10_000),
    ).toBe(true);
    const text = readFileSync(samplesFile()!, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(before);
    expect(text.endsWith('\n')).toBe(true);
    for (const l of lines) expect(SampleSchema.parse(JSON.parse(l)).value).toBeGreaterThan(0);
    // The run shows up as interrupted in history.
    const list = cli(['list', '--json'], { BENCHVISOR_RUNS: killRuns });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({
      status: 'interrupted',
      sampleCount: lines.length,
    });
  });

  it('an nginx left behind by a SIGKILLed run is stopped when the next run starts', async () => {
    const ngRuns = join(tmp.dir, 'ngruns');
    const p = writeConfig('nginx-long.json', {
      platforms: ['native'],
      benchmarks: [{ id: 'nginx', params: { requests: 1000000 } }],
      repetitions: { count: 1 },
    });
    const child = spawn(process.execPath, [CLI, 'run', p], {
      cwd: ROOT,
      env: env({ BENCHVISOR_RUNS: ngRuns }),
      stdio: 'ignore',
    });
    // the run's own nginx, or the host nginx its load client's ceiling is measured against first
    const nginxOfRun = () =>
      [
        ...processesMatching(`${ngRuns}/`),
        ...processesMatching(`/${HOST_SERVICE_DIR_PREFIX}${child.pid}-`),
      ].filter((pid) => pid !== child.pid);
    expect(await waitFor(() => nginxOfRun().length > 0, 60_000)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const next = cli(
      [
        'run',
        writeConfig('tiny.json', {
          platforms: ['native'],
          benchmarks: ['syscall'],
          repetitions: { count: 1 },
        }),
      ],
      {
        BENCHVISOR_RUNS: ngRuns,
      },
    );
    expect(next.status, next.stderr).toBe(0);
    expect(await waitFor(() => nginxOfRun().length === 0, 10_000)).toBe(true);
    const ceilingDirs = readdirSync(tmpdir()).filter((e) =>
      e.startsWith(`${HOST_SERVICE_DIR_PREFIX}${child.pid}-`),
    );
    expect(ceilingDirs).toEqual([]);
  });

  it('doctor reports every platform with reasons and fixes; --help lists the commands', () => {
    const r = cli(['doctor', '--json'], DEAD_DOCKER);
    expect(r.status).toBe(0);
    const report = DoctorReportSchema.parse(JSON.parse(r.stdout));
    const native = report.platforms.find((p) => p.id === 'native')!;
    expect(native.availability.available).toBe(true);
    expect(native.benchmarks.linpack!.available).toBe(true);
    expect(native.benchmarks.nginx!.available).toBe(true);
    // Docker at a dead socket is unavailable on every host, with the reason and the fix.
    const docker = report.platforms.find((p) => p.id === 'docker')!;
    expect(docker.availability.available).toBe(false);
    expect(docker.availability.reason).toMatch(/no-daemon\.sock/);
    expect(docker.availability.fix).toBeTruthy();
    // KVM follows the runner's switch (or /dev/kvm), not the doctor's own opinion.
    const kvm = report.platforms.find((p) => p.id === 'qemu-kvm')!;
    expect(kvm.availability.available).toBe(hostHasKvm());
    if (!hostHasKvm()) expect(kvm.availability.reason).toMatch(/^KVM is unavailable: /);
    const text = cli(['doctor'], DEAD_DOCKER);
    expect(text.stdout).toMatch(/✓ native/);
    expect(text.stdout).toMatch(/✗ docker/);
    expect(text.stdout).toMatch(hostHasKvm() ? /✓ qemu-kvm/ : /✗ qemu-kvm/);
    const unbuilt = cli(['doctor', '--json'], { BENCHVISOR_BENCH_DIR: join(tmp.dir, 'nothing') });
    const n2 = DoctorReportSchema.parse(JSON.parse(unbuilt.stdout)).platforms.find(
      (p) => p.id === 'native',
    )!;
    expect(n2.availability.available).toBe(false);
    expect(n2.availability.fix).toMatch(/npm run build:bench/);
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/run\s+run an experiment/);
    expect(help.stdout).toMatch(/doctor/);
    expect(cli(['frobnicate']).status).toBe(2);
  });
});
