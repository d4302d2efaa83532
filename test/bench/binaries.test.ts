/** The real benchmark binaries, run directly: answers, checks, flags and exit codes. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARIES, ensureBenchBuilt, resultJson, runBinary } from './benchHarness';

const MiB = 1024 * 1024;
let scratch = '';

beforeAll(async () => {
  await ensureBenchBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'benchvisor-bench-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('every binary', () => {
  it.each(BINARIES)(
    '%s: no arguments is a usage error (exit 2, usage on stderr, nothing on stdout)',
    async (name) => {
      const r = await runBinary(name, []);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('usage:');
      expect(r.stdout).toBe('');
    },
  );

  it.each(BINARIES)('%s: an unknown flag is a usage error', async (name) => {
    const r = await runBinary(name, ['--bogus', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown flag '--bogus'");
  });

  it('copies the result line to $BENCHVISOR_RESULT_FILE, byte for byte', async () => {
    const copy = join(scratch, 'result-copy.txt');
    writeFileSync(
      copy,
      'stale content from an earlier repetition that is longer than the line\n'.repeat(40),
    );
    const r = await runBinary('syscall', ['--count', '1000'], 60_000, {
      ...process.env,
      BENCHVISOR_RESULT_FILE: copy,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(r.stdout);
    expect(resultJson(r.stdout).benchmark).toBe('syscall');
  });

  it('warns on stderr but still succeeds when the result copy cannot be written', async () => {
    const r = await runBinary('syscall', ['--count', '1000'], 60_000, {
      ...process.env,
      BENCHVISOR_RESULT_FILE: join(scratch, 'no-such-dir', 'copy.txt'),
    });
    expect(r.code).toBe(0);
    expect(resultJson(r.stdout).benchmark).toBe('syscall');
    expect(r.stderr).toMatch(/warning: cannot write the result copy to .*no-such-dir/);
  });
});

describe('linpack', () => {
  it('solves the system (residual check passes) and reports KFLOPS > 0', async () => {
    const r = await runBinary('linpack', ['--size', '200', '--seconds', '0.05']);
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    expect(line.benchmark).toBe('linpack');
    expect(line.metrics.kflops).toBeGreaterThan(0);
    expect(line.metrics.residual).toBeGreaterThanOrEqual(0);
    expect(line.metrics.residual).toBeLessThan(100);
    expect(line.metrics.seconds).toBeGreaterThanOrEqual(0.05);
    expect(line.params).toMatchObject({ size: 200, n: 100, variant: 'unrolled' });
    // repetitions double: always a power of two
    expect(Math.log2(line.metrics.reps ?? 0) % 1).toBe(0);
    expect(r.stderr).toMatch(/normalised residual/);
  });

  it('has a rolled variant that gives the same residual (same arithmetic)', async () => {
    const [rolled, unrolled] = await Promise.all([
      runBinary('linpack', ['--size', '100', '--seconds', '0.01', '--variant', 'rolled']),
      runBinary('linpack', ['--size', '100', '--seconds', '0.01']),
    ]);
    expect(rolled.code).toBe(0);
    const a = resultJson(rolled.stdout);
    const b = resultJson(unrolled.stdout);
    expect(a.params.variant).toBe('rolled');
    expect(b.params.variant).toBe('unrolled');
    // Unrolling changes the loop shape, not the order of the arithmetic on each element:
    // the residual is the same number to the last printed digit.
    expect(a.metrics.residual).toBeLessThan(100);
    expect(a.metrics.residual).toBe(b.metrics.residual);
  });

  it('rejects a bad variant, a size out of range and a non-numeric --seconds', async () => {
    for (const args of [
      ['--size', '200', '--seconds', '0.1', '--variant', 'diagonal'],
      ['--size', '2', '--seconds', '0.1'],
      ['--size', '200', '--seconds', 'soon'],
      ['--size', '200.5', '--seconds', '0.1'],
    ]) {
      const r = await runBinary('linpack', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});

describe('memsweep', () => {
  it('honours --size: the size is echoed and the peak RSS grows with it', async () => {
    const small = await runBinary('memsweep', ['--size', String(1 * MiB)]);
    const large = await runBinary('memsweep', ['--size', String(8 * MiB)]);
    expect(small.code).toBe(0);
    expect(large.code).toBe(0);
    const s = resultJson(small.stdout);
    const l = resultJson(large.stdout);
    expect(s.params.size).toBe(MiB);
    expect(l.params.size).toBe(8 * MiB);
    expect(s.metrics.seconds).toBeGreaterThan(0);
    // every page of the buffer is touched: RSS covers the buffer
    expect(l.metrics.maxRssKiB).toBeGreaterThanOrEqual(8 * 1024);
    expect((l.metrics.maxRssKiB ?? 0) - (s.metrics.maxRssKiB ?? 0)).toBeGreaterThan(6 * 1024);
    // ten times size steps: the work done grows with --size (checked by the step count the
    // binary reports, not by timings, which other work on the machine disturbs)
    expect(small.stderr).toMatch(new RegExp(`\\b${10 * MiB} steps at stride 4097\\b`));
    expect(large.stderr).toMatch(new RegExp(`\\b${80 * MiB} steps at stride 4097\\b`));
  });

  it('rejects sizes below one page and garbage', async () => {
    expect((await runBinary('memsweep', ['--size', '100'])).code).toBe(2);
    expect((await runBinary('memsweep', ['--size', '4k'])).code).toBe(2);
  });
});

describe('forksum', () => {
  const cases: [number, number][] = [
    [1, 1],
    [0, 0],
    [1, 2],
    [1, 100],
    [17, 63],
    [1000000, 1000031],
  ];
  it.each(cases)('sums [%i, %i] with 2N-2 forks', async (start, end) => {
    const r = await runBinary('forksum', ['--start', String(start), '--end', String(end)]);
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    const n = end - start + 1;
    expect(line.metrics.sum).toBe(((start + end) * n) / 2);
    expect(line.metrics.forks).toBe(2 * n - 2);
    expect(line.params).toEqual({ start, end });
  });

  it('rejects a reversed (empty) range with exit 2 and says why', async () => {
    const r = await runBinary('forksum', ['--start', '10', '--end', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('empty range');
    expect(r.stdout).toBe('');
  });

  it('rejects missing, empty, negative and garbage arguments', async () => {
    for (const args of [
      ['--start', '1'],
      ['--start', '', '--end', '5'],
      ['--start=', '--end=5'],
      ['--start', '-1', '--end', '5'],
      ['--start', 'one', '--end', 'five'],
      ['--start', '1', '--end', '5', 'extra'],
      ['--start', '1', '--start', '2', '--end', '5'],
    ]) {
      const r = await runBinary('forksum', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('accepts --flag=value syntax', async () => {
    const r = await runBinary('forksum', ['--start=5', '--end=8']);
    expect(r.code).toBe(0);
    expect(resultJson(r.stdout).metrics.sum).toBe(26);
  });
});

describe('diskwrite', () => {
  it('writes exactly the bytes asked to a regular file, with O_DIRECT where supported', async () => {
    const file = join(scratch, 'disk.bin');
    const r = await runBinary('diskwrite', [
      '--file',
      file,
      '--size-mib',
      '3',
      '--block-kib',
      '256',
    ]);
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    expect(statSync(file).size).toBe(3 * MiB);
    expect(line.metrics.bytes).toBe(3 * MiB);
    expect(line.metrics.mbps).toBeGreaterThan(0);
    expect([0, 1]).toContain(line.metrics.direct);
    expect(line.metrics.mbps).toBeCloseTo((3 * MiB) / 1e6 / (line.metrics.seconds ?? 1), 3);
    expect(line.params).toEqual({ file, sizeMiB: 3, blockKiB: 256 });
  });

  it('truncates an existing larger file and handles a block that does not divide the size', async () => {
    const file = join(scratch, 'big.bin');
    writeFileSync(file, Buffer.alloc(5 * MiB, 1));
    const r = await runBinary('diskwrite', ['--file', file, '--size-mib', '1', '--block-kib', '3']);
    expect(r.code).toBe(0);
    expect(statSync(file).size).toBe(MiB);
    expect(resultJson(r.stdout).metrics.bytes).toBe(MiB);
  });

  it('falls back to the page cache when the kernel refuses O_DIRECT (misaligned buffer) and still writes everything', async () => {
    const file = join(scratch, 'fallback.bin');
    const r = await runBinary('diskwrite', [
      '--file',
      file,
      '--size-mib',
      '2',
      '--block-kib',
      '64',
      '--buffer-offset',
      '1',
    ]);
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    expect(line.metrics.direct).toBe(0);
    expect(statSync(file).size).toBe(2 * MiB);
    expect(line.metrics.bytes).toBe(2 * MiB);
  });

  it('--no-direct writes through the page cache', async () => {
    const file = join(scratch, 'nodirect.bin');
    const r = await runBinary('diskwrite', [
      '--file',
      file,
      '--size-mib',
      '1',
      '--block-kib',
      '64',
      '--no-direct',
    ]);
    expect(r.code).toBe(0);
    expect(resultJson(r.stdout).metrics.direct).toBe(0);
    expect(r.stderr).not.toContain('refused');
  });

  it('fails with exit 1 and a reason when the target cannot be opened', async () => {
    const r = await runBinary('diskwrite', [
      '--file',
      join(scratch, 'no', 'such', 'dir'),
      '--size-mib',
      '1',
      '--block-kib',
      '64',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot open');
    expect(r.stdout).toBe('');
  });

  it('escapes the file name in the JSON line', async () => {
    const file = join(scratch, 'we"ird\\name.bin');
    const r = await runBinary('diskwrite', [
      '--file',
      file,
      '--size-mib',
      '1',
      '--block-kib',
      '1024',
    ]);
    expect(r.code).toBe(0);
    expect(resultJson(r.stdout).params.file).toBe(file);
  });
});

describe('syscall', () => {
  it('reports ns per call > 0 for the calls asked', async () => {
    const r = await runBinary('syscall', ['--count', '50000']);
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    expect(line.metrics.calls).toBe(50000);
    expect(line.metrics.nsPerCall).toBeGreaterThan(0);
    expect(line.metrics.nsPerCall).toBeCloseTo(((line.metrics.seconds ?? 0) * 1e9) / 50000, 3);
  });

  it('rejects a zero count', async () => {
    expect((await runBinary('syscall', ['--count', '0'])).code).toBe(2);
  });
});
