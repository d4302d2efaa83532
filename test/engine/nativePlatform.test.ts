import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { NativePlatform } from '../../src/main/platforms/native/nativePlatform';
import { runInPty } from '../../src/main/platforms/native/ptyProcess';
import type { PrepareContext } from '../../src/main/platforms/platform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { metaProblems } from '../../src/shared/sampleMeta/registry';
import { privateBinDir, processesMatching, tempDir, waitFor } from './helpers';

function config() {
  const parsed = parseExperimentConfig({ platforms: ['native'], benchmarks: ['linpack'] });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('native platform', () => {
  const tmp = tempDir('native');
  // A private copy of the binaries so process scans only see this test's processes.
  const binDir = join(tmp.dir, 'bin');
  beforeAll(() => void privateBinDir(tmp.dir));
  afterAll(() => tmp.cleanup());

  function context(runDir: string, signal = new AbortController().signal) {
    const chunks: string[] = [];
    const ctx: PrepareContext = {
      runId: 'test',
      target: 'native',
      config: config(),
      runDir,
      console: { data: (c) => chunks.push(c) },
      log: () => undefined,
      signal,
    };
    return { ctx, chunks };
  }

  it('probe says why and how to fix when the binaries are not built', async () => {
    const p = new NativePlatform({
      benchBinDir: join(tmp.dir, 'empty'),
      tracker: new ProcessTracker(),
    });
    const a = await p.probe();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/not built/);
    expect(a.fix).toMatch(/npm run build:bench/);
    expect((await p.supports('linpack')).available).toBe(false);
  });

  it('runs a real binary through the pty, streams its console and collects the result line', async () => {
    const tracker = new ProcessTracker();
    const p = new NativePlatform({ benchBinDir: binDir, tracker });
    expect((await p.probe()).available).toBe(true);
    const runDir = join(tmp.dir, 'run1');
    mkdirSync(runDir);
    const { ctx, chunks } = context(runDir);
    const s = await p.prepare(ctx);
    const res = await s.exec({ binary: 'syscall', args: ['--count', '1000'], timeoutMs: 10_000 });
    expect(res.exitCode).toBe(0);
    expect(res.failure).toBeUndefined();
    expect(res.stdout).toMatch(/@@BENCHVISOR \{"benchmark":"syscall"/);
    expect(chunks.join('')).toMatch(/getppid/); // stderr progress reached the console
    expect(res.durationMs).toBeGreaterThan(0);
    expect(tracker.size).toBe(0);
    expect(s.diskTarget.startsWith(join(runDir, 'scratch', 'native'))).toBe(true);
    // The result-line copy (resultCopy.ts) was read and removed.
    expect(existsSync(join(runDir, 'scratch', 'native', 'result-line.txt'))).toBe(false);
    const meta = await s.meta();
    expect(meta.cpus).toBeGreaterThan(0);
    expect(meta.memoryMiB).toBeGreaterThan(0);
    await s.dispose();
    expect(existsSync(join(runDir, 'scratch', 'native'))).toBe(false);
  });

  it("keeps each native target's files in that target's scratch folder (the A/A twin's too)", async () => {
    const p = new NativePlatform({
      benchBinDir: binDir,
      tracker: new ProcessTracker(),
      runners: createBenchmarkRunners(),
    });
    const cfg = parseExperimentConfig({ platforms: ['native'], benchmarks: ['diskwrite'] });
    if (!cfg.ok) throw new Error(cfg.message);
    const [main] = await p.describe(cfg.config, 'native');
    const [twin] = await p.describe(cfg.config, 'native.control');
    expect(main!.argv.join(' ')).toMatch(/scratch\/native\/disk-target\.bin/);
    expect(twin!.argv.join(' ')).toMatch(/scratch\/native\.control\/disk-target\.bin/);
    const runDir = join(tmp.dir, 'run-twin');
    mkdirSync(runDir);
    const twinCtx = { ...context(runDir).ctx, target: 'native.control' };
    const [a, b] = [await p.prepare(context(runDir).ctx), await p.prepare(twinCtx)];
    expect(a.diskTarget).not.toBe(b.diskTarget);
    await b.dispose();
    // Disposing the twin leaves native's scratch folder alone.
    expect(existsSync(join(runDir, 'scratch', 'native'))).toBe(true);
    expect(metaProblems(await a.meta())).toEqual([]);
    await a.dispose();
  });

  it('reports a non-zero exit code of a failing benchmark', async () => {
    const p = new NativePlatform({ benchBinDir: binDir, tracker: new ProcessTracker() });
    const runDir = join(tmp.dir, 'run2');
    mkdirSync(runDir);
    const s = await p.prepare(context(runDir).ctx);
    const res = await s.exec({
      binary: 'forksum',
      args: ['--start', '10', '--end', '1'],
      timeoutMs: 10_000,
    });
    expect(res.exitCode).not.toBe(0);
    expect(res.exitCode).not.toBeNull();
    await s.dispose();
  });

  it('kills the whole process group on timeout and on abort', async () => {
    const tracker = new ProcessTracker();
    const p = new NativePlatform({ benchBinDir: binDir, tracker });
    const runDir = join(tmp.dir, 'run3');
    mkdirSync(runDir);
    const s = await p.prepare(context(runDir).ctx);
    const linpack = join(binDir, 'linpack');
    const timedOut = await s.exec({
      binary: 'linpack',
      args: ['--size', '200', '--seconds', '60'],
      timeoutMs: 300,
    });
    expect(timedOut.failure?.code).toBe('TIMEOUT');
    expect(timedOut.exitCode).toBeNull();
    expect(await waitFor(() => processesMatching(linpack).length === 0, 5000)).toBe(true);

    const ac = new AbortController();
    const pending = s.exec({
      binary: 'linpack',
      args: ['--size', '200', '--seconds', '60'],
      timeoutMs: 60_000,
      signal: ac.signal,
    });
    expect(await waitFor(() => processesMatching(linpack).length > 0, 5000)).toBe(true);
    ac.abort();
    const aborted = await pending;
    expect(aborted.failure?.code).toBe('CANCELLED');
    expect(await waitFor(() => processesMatching(linpack).length === 0, 5000)).toBe(true);
    expect(tracker.size).toBe(0);
    await s.dispose();
  });

  it('sends keystrokes to the running pty and tracks the process until it ends', async () => {
    const tracker = new ProcessTracker();
    let write: ((d: string) => void) | null = null;
    const out: string[] = [];
    const pending = runInPty({
      file: '/bin/cat',
      args: [],
      cwd: tmp.dir,
      timeoutMs: 10_000,
      tracker,
      label: 'cat',
      onData: (d) => out.push(d),
      onStart: (w) => {
        write = w;
      },
    });
    expect(tracker.size).toBe(1);
    write!('hello-pty\r');
    expect(await waitFor(() => out.join('').includes('hello-pty'), 5000)).toBe(true);
    write!('\x04'); // Ctrl-D: end of input, cat exits
    const res = await pending;
    expect(res.exitCode).toBe(0);
    expect(tracker.size).toBe(0);
  });
});
