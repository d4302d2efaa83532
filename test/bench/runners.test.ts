/** The benchmark runners: real binaries through a host session, and failure mapping. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, BENCHMARK_IDS, resolveParams } from '../../src/shared/catalogue';
import { buildArgs, BINARY_SPECS, outcomeFromExec } from '../../src/main/benchmarks/binary';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import type { ExecRequest, ExecResult, PlatformSession } from '../../src/main/platforms/platform';
import { ensureBenchBuilt, HostSession, repetition } from './benchHarness';

let scratch = '';
beforeAll(async () => {
  await ensureBenchBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'benchvisor-runners-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const runners = createBenchmarkRunners();

describe('registry', () => {
  it('has a runner for every catalogue benchmark, under its own id', () => {
    expect(Object.keys(runners).sort()).toEqual([...BENCHMARK_IDS].sort());
    for (const id of BENCHMARK_IDS) expect(runners[id].id).toBe(id);
  });
});

describe('binary runners on real binaries (quick profile)', () => {
  const quick = ['linpack', 'memsweep', 'diskwrite', 'forksum', 'syscall'] as const;
  it.each(quick)('%s reports every catalogue metric', async (id) => {
    const session = new HostSession(join(scratch, `${id}.bin`));
    const params = resolveParams(id, 'quick');
    const out = await runners[id].run(session, params, repetition());
    expect(out.error).toBeUndefined();
    expect(out.exitCode).toBe(0);
    for (const m of CATALOGUE[id].metrics) expect(out.metrics[m.key], m.key).toBeTypeOf('number');
    expect(out.metrics[CATALOGUE[id].mainMetric]).toBeGreaterThan(0);
    expect(session.requests[0]?.binary).toBe(id);
  });

  it('diskwrite writes to the session disk target', async () => {
    const target = join(scratch, 'target.bin');
    const session = new HostSession(target);
    const out = await runners.diskwrite.run(session, { sizeMiB: 2, blockKiB: 128 }, repetition());
    expect(out.error).toBeUndefined();
    expect(session.requests[0]?.args).toEqual([
      '--file',
      target,
      '--size-mib',
      '2',
      '--block-kib',
      '128',
    ]);
    expect(statSync(target).size).toBe(2 * 1024 * 1024);
    expect(out.metrics.bytes).toBe(2 * 1024 * 1024);
  });

  it('a failing benchmark becomes an outcome with the reason from its output (no throw)', async () => {
    const session = new HostSession(join(scratch, 'missing-dir', 'x.bin'));
    const out = await runners.diskwrite.run(session, { sizeMiB: 1, blockKiB: 64 }, repetition());
    expect(out.exitCode).toBe(1);
    expect(out.metrics).toEqual({});
    expect(out.error).toMatch(/^diskwrite exited with code 1: .*cannot open/);
  });

  it('a reversed forksum range is reported as a usage failure', async () => {
    const out = await runners.forksum.run(new HostSession(''), { start: 9, end: 3 }, repetition());
    expect(out.exitCode).toBe(2);
    expect(out.error).toContain('empty range');
  });

  it('a timeout from the platform is reported as such, and the killed tree leaves no process behind', async () => {
    const out = await runners.forksum.run(
      new HostSession(''),
      { start: 7_770_001, end: 8_770_000 },
      repetition(300),
    );
    expect(out.error).toMatch(/^TIMEOUT: /);
    expect(out.metrics).toEqual({});
    // each child dies with its parent: the tree unwinds within moments
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = forksumProcesses('7770001');
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toEqual([]);
  });
});

/** Live (non-zombie) processes whose command line contains the marker. */
function forksumProcesses(marker: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (
        cmd.includes('forksum') &&
        cmd.includes(marker) &&
        !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
      ) {
        out.push(pid);
      }
    } catch {
      /* gone */
    }
  }
  return out;
}

/** A session that answers exec with a canned result (for the mapping logic only). */
function cannedSession(result: ExecResult | Error): PlatformSession & { seen: ExecRequest[] } {
  const seen: ExecRequest[] = [];
  return {
    seen,
    diskTarget: '/dev/vdb',
    exec: (req) => {
      seen.push(req);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
    startService: () => Promise.reject(new Error('none')),
    write: () => false,
    meta: () => Promise.resolve({}),
    dispose: () => Promise.resolve(),
  };
}

describe('argument mapping and outcome mapping', () => {
  it('maps catalogue params to flags, in plain decimal', () => {
    const session = cannedSession(new Error('unused'));
    expect(buildArgs(BINARY_SPECS.linpack, { size: 200, seconds: 0.2 }, session)).toEqual({
      args: ['--size', '200', '--seconds', '0.2'],
    });
    expect(buildArgs(BINARY_SPECS.syscall, { count: 1e10 }, session)).toEqual({
      args: ['--count', '10000000000'],
    });
    expect(buildArgs(BINARY_SPECS.diskwrite, { sizeMiB: 16, blockKiB: 256 }, session)).toEqual({
      args: ['--file', '/dev/vdb', '--size-mib', '16', '--block-kib', '256'],
    });
    expect(buildArgs(BINARY_SPECS.forksum, { start: 1 }, session)).toEqual({
      error: 'forksum: parameter "end" is missing',
    });
  });

  it('passes timeout and signal through to the platform', async () => {
    const session = cannedSession({
      exitCode: 0,
      stdout: '@@BENCHVISOR {"benchmark":"syscall","metrics":{"nsPerCall":5},"params":{}}',
      durationMs: 3,
    });
    const signal = new AbortController().signal;
    const out = await runners.syscall.run(session, { count: 10 }, { timeoutMs: 1234, signal });
    expect(out).toEqual({ metrics: { nsPerCall: 5 }, exitCode: 0, durationMs: 3 });
    expect(session.seen[0]).toEqual({
      binary: 'syscall',
      args: ['--count', '10'],
      timeoutMs: 1234,
      signal,
    });
  });

  it('an exec that throws, a missing line, a wrong benchmark and a cancelled signal all become errors', async () => {
    const thrown = await runners.syscall.run(
      cannedSession(new Error('guest vanished')),
      { count: 1 },
      repetition(),
    );
    expect(thrown.error).toBe('syscall could not be run: guest vanished');
    expect(
      outcomeFromExec('syscall', { exitCode: 0, stdout: 'nothing\r\n', durationMs: 1 }).error,
    ).toBe('syscall printed no @@BENCHVISOR result line');
    const wrong = outcomeFromExec('syscall', {
      exitCode: 0,
      stdout: '@@BENCHVISOR {"benchmark":"linpack","metrics":{},"params":{}}',
      durationMs: 1,
    });
    expect(wrong.error).toContain('expected a result from syscall');
    const killed = outcomeFromExec('memsweep', {
      exitCode: null,
      stdout: 'memsweep: sweeping\r\n',
      durationMs: 1,
    });
    expect(killed.error).toBe('memsweep was killed: memsweep: sweeping');
    const cancelled = outcomeFromExec('memsweep', {
      exitCode: null,
      stdout: '',
      durationMs: 1,
      failure: { code: 'CANCELLED', message: 'the user cancelled' },
    });
    expect(cancelled.error).toBe('CANCELLED: the user cancelled');
    const ac = new AbortController();
    ac.abort();
    const session = cannedSession(new Error('must not run'));
    const early = await runners.linpack.run(
      session,
      { size: 200, seconds: 1 },
      { timeoutMs: 10, signal: ac.signal },
    );
    expect(early.error).toMatch(/^CANCELLED/);
    expect(session.seen).toHaveLength(0);
  });
});
