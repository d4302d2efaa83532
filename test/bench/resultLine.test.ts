/** Parsing the @@BENCHVISOR line out of mixed console text. */
import { describe, expect, it } from 'vitest';
import { parseResultLine } from '../../src/main/benchmarks/resultLine';

const LINE =
  '@@BENCHVISOR {"benchmark":"linpack","metrics":{"kflops":123.5,"residual":1.2},"params":{"size":200,"variant":"unrolled"}}';

describe('parseResultLine', () => {
  it('finds the line among pty output with \\r\\n and interleaved progress', () => {
    const text = `linpack: n=100\r\nlinpack: 1 repetitions\r\n${LINE}\r\nlinpack: done\r\n`;
    const r = parseResultLine(text, 'linpack');
    expect(r).toEqual({
      ok: true,
      value: {
        benchmark: 'linpack',
        metrics: { kflops: 123.5, residual: 1.2 },
        params: { size: 200, variant: 'unrolled' },
      },
    });
  });

  it('accepts a marker that starts mid-line (progress without a newline) and lone \\r line ends', () => {
    const r = parseResultLine(`progress 50%...${LINE}\rnext`);
    expect(r.ok).toBe(true);
  });

  it('strips terminal colour codes', () => {
    const r = parseResultLine(`\u001b[32m${LINE}\u001b[0m\n`);
    expect(r.ok).toBe(true);
  });

  it('reports a missing line clearly', () => {
    const r = parseResultLine('linpack: error: residual too large\n', 'linpack');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BENCHMARK_FAILED');
      expect(r.error.message).toBe('linpack printed no @@BENCHVISOR result line');
    }
  });

  it('rejects two result lines', () => {
    const r = parseResultLine(`${LINE}\n${LINE}\n`);
    expect(!r.ok && r.error.message).toContain('2 @@BENCHVISOR result lines');
  });

  it('rejects text that is not JSON, quoting it', () => {
    const r = parseResultLine('@@BENCHVISOR {"benchmark":"linpack","metrics":{"kflops":\n');
    expect(!r.ok && r.error.message).toMatch(
      /^malformed @@BENCHVISOR line \(not JSON: .*\): \{"benchmark"/,
    );
  });

  it('names the bad field when the JSON does not fit the schema', () => {
    const nullMetric = parseResultLine(
      '@@BENCHVISOR {"benchmark":"syscall","metrics":{"nsPerCall":null},"params":{}}',
    );
    expect(!nullMetric.ok && nullMetric.error.message).toContain('metrics.nsPerCall');
    const unknown = parseResultLine('@@BENCHVISOR {"benchmark":"quake","metrics":{},"params":{}}');
    expect(!unknown.ok && unknown.error.message).toContain('benchmark');
    const extra = parseResultLine(
      '@@BENCHVISOR {"benchmark":"syscall","metrics":{},"params":{},"x":1}',
    );
    expect(extra.ok).toBe(false);
  });

  it('rejects a line from another benchmark than expected', () => {
    const r = parseResultLine(LINE, 'memsweep');
    expect(!r.ok && r.error.message).toBe(
      'expected a result from memsweep but got one from linpack',
    );
  });

  it('tolerates junk after the closing brace on the same line', () => {
    const r = parseResultLine(`${LINE}syscall: trailing`);
    expect(r.ok).toBe(true);
  });
});
