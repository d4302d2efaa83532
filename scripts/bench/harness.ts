/**
 * Harness overhead: the same benchmark binary run through the whole engine
 * (ExperimentRunner → native platform → node-pty) and run directly
 * (child_process, pipes), alternating, medians of RUNS runs each.
 * Targets: linpack KFLOPS runner ÷ direct ≥ 0.99; memsweep seconds runner ÷ direct ≤ 1.01.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig } from '../../src/shared/config';
import type { BenchmarkId } from '../../src/shared/catalogue';
import { parseResultLine } from '../../src/main/benchmarks/resultLine';
import { createEngine } from '../../src/main/composition';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** Runs per way of running (the brief asks for ≥ 5). */
const RUNS = 7;
/** linpack long enough that start-up noise is small, short enough for a quick bench. */
const LINPACK_PARAMS = { size: 200, seconds: 1 };
const MEMSWEEP_PARAMS = { size: 4 * 1024 * 1024 };
const DIRECT_TIMEOUT_MS = 120_000;

interface Case {
  id: BenchmarkId;
  metric: string;
  params: Record<string, number>;
  flags: string[];
  /** Ratio runner ÷ direct and its target. */
  target: { op: '>=' | '<='; value: number };
}

const CASES: Case[] = [
  {
    id: 'linpack',
    metric: 'kflops',
    params: LINPACK_PARAMS,
    flags: ['--size', String(LINPACK_PARAMS.size), '--seconds', String(LINPACK_PARAMS.seconds)],
    target: { op: '>=', value: 0.99 },
  },
  {
    id: 'memsweep',
    metric: 'seconds',
    params: MEMSWEEP_PARAMS,
    flags: ['--size', String(MEMSWEEP_PARAMS.size)],
    target: { op: '<=', value: 1.01 },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function runDirect(
  binary: string,
  args: string[],
  id: BenchmarkId,
  metric: string,
): Promise<number> {
  return new Promise((resolveRun, reject) => {
    execFile(binary, args, { timeout: DIRECT_TIMEOUT_MS }, (error, stdout) => {
      if (error) return reject(error);
      const parsed = parseResultLine(String(stdout), id);
      if (!parsed.ok) return reject(new Error(parsed.error.message));
      const v = parsed.value.metrics[metric];
      if (v === undefined) return reject(new Error(`no ${metric} in ${id} output`));
      resolveRun(v);
    });
  });
}

export async function run(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'benchvisor-harness-'));
  const paths = { ...defaultAppPaths(), runsDir: join(scratch, 'runs') };
  const engine = createEngine({ paths });
  try {
    const rows: string[][] = [];
    for (const c of CASES) {
      const parsed = parseExperimentConfig({
        name: `harness ${c.id}`,
        platforms: ['native'],
        benchmarks: [{ id: c.id, params: c.params }],
        repetitions: { count: 1, warmup: 0 },
      });
      if (!parsed.ok) throw new Error(parsed.message);
      const binary = join(paths.benchBinDir, c.id);
      const viaRunner: number[] = [];
      const direct: number[] = [];
      // Alternate the two ways so drifting machine load hits both alike.
      for (let i = 0; i < RUNS; i++) {
        direct.push(await runDirect(binary, c.flags, c.id, c.metric));
        const runner = engine.createRunner();
        const started = await runner.start(parsed.config);
        if (!started.ok) throw new Error(started.error.message);
        const fin = await started.value.finished;
        const sample = engine.store.get(fin.runId).samples[0];
        if (!sample || sample.value === null)
          throw new Error(`runner repetition failed: ${sample?.error ?? fin.message}`);
        viaRunner.push(sample.metrics[c.metric] ?? NaN);
        process.stdout.write('.');
      }
      const ratio = median(viaRunner) / median(direct);
      const met = c.target.op === '>=' ? ratio >= c.target.value : ratio <= c.target.value;
      rows.push([
        `${c.id} ${c.metric}`,
        median(direct).toPrecision(6),
        median(viaRunner).toPrecision(6),
        ratio.toFixed(4),
        `${c.target.op} ${c.target.value}`,
        met ? 'met' : 'NOT met',
      ]);
    }
    process.stdout.write('\n');
    const header = [
      'benchmark',
      `direct (median of ${RUNS})`,
      `runner (median of ${RUNS})`,
      'runner ÷ direct',
      'target',
      '',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    process.stdout.write(
      `Harness overhead (native platform through node-pty vs. direct child_process)\n`,
    );
    process.stdout.write(
      `${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`,
    );
  } finally {
    await engine.shutdown();
    rmSync(scratch, { recursive: true, force: true });
  }
}
