/** The nginx load-client findings (ceiling, client CPU) on constructed samples: thresholds exactly. */
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/shared/findings';
import {
  CEILING_FRACTION,
  CLIENT_CPU_SATURATED_PERCENT,
  clientBounds,
  clientCpuSaturated,
  clientLimited,
} from '../../src/shared/findings/loadCeiling';
import { answerMatrix } from '../../src/shared/answer';
import { BOUND_WORD, boundSpeedText } from '../../src/shared/answer/bounds';
import type { PlatformId } from '../../src/shared/platforms';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { valueSamples } from './fixtures';

const CEILING = 1000; // MB/s the client reached against the host's nginx
const FILE_BYTES = 2000 * 1024 * 1024;

/** nginx samples of one platform at these MB/s, each carrying the ceiling and the CPU shares. */
function nginxAt(
  platform: PlatformId,
  mbps: readonly number[],
  cpu: { client?: number; server?: number | null } = {},
): Sample[] {
  const totalMs = mbps.map((m) => FILE_BYTES / 1e6 / m / 1e-3);
  return valueSamples(platform, 'nginx', totalMs).map((s, i) => ({
    ...s,
    metrics: { ...s.metrics, mbps: mbps[i] as number },
    meta: {
      loadCeiling: {
        mbps: CEILING,
        totalMs: 1,
        p50Ms: 1,
        clientCpuPercent: 40,
        serverCpuPercent: 60,
        reps: 3,
        allMbps: [CEILING],
        server: 'host nginx on loopback',
      },
      loadCpu: {
        clientPercent: cpu.client ?? 30,
        serverPercent: cpu.server === undefined ? 70 : cpu.server,
      },
    },
  }));
}

const input = (samples: Sample[]) => ({ samples, summary: summarize(samples) });

describe('client-limited finding (the ceiling)', () => {
  it('appears at the stated fraction of the ceiling and not just below it', () => {
    const at = CEILING * CEILING_FRACTION;
    const justBelow = at - 0.5;
    expect(clientLimited(input(nginxAt('docker', [at, at, at])))).toHaveLength(1);
    expect(clientLimited(input(nginxAt('docker', [justBelow, justBelow, justBelow])))).toEqual([]);
  });

  it('says the platform may be faster and shows the ratio to native as a bound', () => {
    // native at 95% of the ceiling, Docker at 85%, QEMU far below
    const samples = [
      ...nginxAt('native', [950, 950, 950]),
      ...nginxAt('docker', [850, 850, 850]),
      ...nginxAt('qemu-tcg', [20, 20, 20]),
    ];
    const fs = clientLimited(input(samples));
    expect(fs.map((f) => f.id).sort()).toEqual(['client-limited:docker', 'client-limited:native']);
    const docker = fs.find((f) => f.id === 'client-limited:docker')!;
    expect(docker.severity).toBe('warn');
    expect(docker.explanation).toContain(
      'The client limited this figure; the platform may be faster.',
    );
    expect(docker.explanation).toContain('a bound, not a verdict');
    expect(docker.numbers['fraction of the ceiling']).toBe(0.85);
    expect(docker.numbers['throughput ratio to native (bound)']).toBe(0.89);
    const native = fs.find((f) => f.id === 'client-limited:native')!;
    // QEMU is not at the ceiling, but its ratio to a limited native is an upper bound
    expect(native.explanation).toContain('TCG) 0.02×) are upper bounds, not verdicts');
    expect(native.explanation).not.toContain('  ');
    expect(native.explanation).toContain('by construction');
    expect(docker.explanation).not.toContain('by construction');
    expect(docker.explanation).not.toContain('above the ceiling');
    // a figure above the ceiling says the host's load moved between them
    const above = clientLimited(input(nginxAt('docker', [1200, 1200])))[0]!;
    expect(above.explanation).toContain('It is even above the ceiling');
    // and the rule is part of every run's findings
    expect(computeFindings(input(samples)).map((f) => f.id)).toContain('client-limited:docker');
  });

  it('says nothing for samples without a ceiling or for failed repetitions', () => {
    const bare = valueSamples('native', 'nginx', [100, 100]).map((s) => ({
      ...s,
      metrics: { ...s.metrics, mbps: 999 },
    }));
    expect(clientLimited(input(bare))).toEqual([]);
    const failed = nginxAt('native', [999, 999]).map((s) => ({ ...s, value: null, error: 'x' }));
    expect(clientLimited(input(failed))).toEqual([]);
  });
});

describe('client CPU saturated finding', () => {
  it('appears when the client used the stated share of one CPU on average, not below', () => {
    const at = nginxAt('native', [100, 100, 100], { client: CLIENT_CPU_SATURATED_PERCENT });
    const fs = clientCpuSaturated(input(at));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ id: 'client-cpu:native', severity: 'warn' });
    expect(fs[0]!.numbers['server CPU, mean % of one CPU']).toBe(70);
    const below = nginxAt('native', [100, 100, 100], {
      client: CLIENT_CPU_SATURATED_PERCENT - 0.1,
    });
    expect(clientCpuSaturated(input(below))).toEqual([]);
  });

  it('works without a server share and is among the run findings', () => {
    const samples = nginxAt('docker', [100, 100], { client: 99, server: null });
    const fs = computeFindings(input(samples)).filter((f) => f.id.startsWith('client-cpu:'));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.numbers['server CPU, mean % of one CPU']).toBeNull();
    expect(fs[0]!.explanation).not.toContain('server side');
  });
});

describe('the answer matrix shows a client-limited nginx ratio as a bound', () => {
  it('marks the cell of a target at the ceiling, and every cell when native is at it', () => {
    const samples = [
      ...nginxAt('native', [500, 510, 505]),
      ...nginxAt('docker', [850, 860, 855]),
      ...nginxAt('qemu-tcg', [20, 21, 20]),
    ];
    const summary = summarize(samples);
    const bounds = clientBounds(samples, summary.referenceTarget ?? summary.reference);
    // only Docker was at the ceiling: its speed is a lower bound (it may be faster still)
    expect(bounds).toEqual([
      expect.objectContaining({ target: 'docker', benchmark: 'nginx', bound: 'lower' }),
    ]);
    const m = answerMatrix(summary, [], bounds);
    const cell = (t: string) => m.rows.find((r) => r.row.target === t)!.cells[0]!;
    expect(cell('docker').word).toBe(BOUND_WORD);
    expect(cell('docker').speed).toMatch(/^at least 1\.\d+× faster$|^at least 1\.\d+×/);
    expect(cell('docker').reason).toContain("Docker was (85.5%) at the load client's ceiling");
    expect(cell('qemu-tcg').word).not.toBe(BOUND_WORD);

    // native at the ceiling: QEMU's ratio is an upper bound on its speed
    const limitedNative = [
      ...nginxAt('native', [950, 950, 950]),
      ...nginxAt('qemu-tcg', [20, 21, 20]),
    ];
    const s2 = summarize(limitedNative);
    const b2 = clientBounds(limitedNative, s2.referenceTarget ?? s2.reference);
    expect(b2.map((b) => b.bound)).toEqual(['upper']);
    const qemu = answerMatrix(s2, [], b2).rows.find((r) => r.row.target === 'qemu-tcg')!.cells[0]!;
    expect(qemu.speed).toMatch(/^at least \d+× slower$/);
    expect(qemu.word).toBe(BOUND_WORD);
  });

  it('changes nothing when no target is near the ceiling', () => {
    const samples = [...nginxAt('native', [500, 500, 500]), ...nginxAt('docker', [400, 400, 400])];
    const summary = summarize(samples);
    expect(clientBounds(samples, summary.reference)).toEqual([]);
    expect(answerMatrix(summary, [], [])).toEqual(answerMatrix(summary));
  });

  it('reads "at most" / "at least" by the direction of the bound and of the ratio', () => {
    expect(boundSpeedText(1 / 3, 'lower')).toBe('at most 3.0× slower');
    expect(boundSpeedText(1 / 3, 'upper')).toBe('at least 3.0× slower');
    expect(boundSpeedText(3, 'lower')).toBe('at least 3.0× faster');
    expect(boundSpeedText(3, 'upper')).toBe('at most 3.0× faster');
    expect(boundSpeedText(3, 'both')).toBe('3.0× faster');
  });
});
