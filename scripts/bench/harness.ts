/**
 * Harness overhead: the same benchmark binary run three ways, in rounds: directly (child_process,
 * pipes), in a pseudo-terminal alone (node-pty, as the native platform spawns it, without the
 * engine), and through the whole engine (ExperimentRunner → native platform → node-pty). Each
 * round runs every way once, in a rotating order (drift and "who runs first" hit all alike).
 * Reported: the medians, and runner ÷ direct and pty ÷ direct paired by round (geometric mean of
 * the per-round ratios with its 95% t interval on the logs: shared/stats/paired.ts), so a 1%
 * claim carries its uncertainty. pty ÷ direct separates the terminal's cost from the engine's.
 * Targets: linpack KFLOPS runner ÷ direct ≥ 0.99; memsweep seconds runner ÷ direct ≤ 1.01.
 *
 * Where the runner could cost time inside a benchmark's timed part, and why it does not: the host
 * CPU sampler reads /proc just before and just after a repetition (host/hostCpuSampler.ts), the
 * sample's meta is read after it, environment.json before the first; the engine has no timer
 * running during a repetition, and node-pty only wakes on output, which linpack and memsweep
 * print between their timed parts. BENCH_HARNESS_ROUNDS sets the number of rounds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig, type ExperimentConfig } from '../../src/shared/config';
import type { BenchmarkId } from '../../src/shared/catalogue';
import { median } from '../../src/shared/stats/descriptive';
import { compareObservations, type Comparison } from '../../src/shared/stats/paired';
import { parseResultLine } from '../../src/main/benchmarks/resultLine';
import { createEngine, type Engine } from '../../src/main/composition';
import { runInPty } from '../../src/main/platforms/native/ptyProcess';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** Rounds (each runs every way once); BENCH_HARNESS_ROUNDS overrides. */
const DEFAULT_ROUNDS = 15;
/** linpack long enough that start-up noise is small, short enough for a quick bench. */
const LINPACK_PARAMS = { size: 200, seconds: 1 };
const MEMSWEEP_PARAMS = { size: 4 * 1024 * 1024 };
const RUN_TIMEOUT_MS = 120_000;

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

const WAYS = ['direct', 'pty', 'runner'] as const;
type Way = (typeof WAYS)[number];

function metricOf(output: string, c: Case): number {
  const parsed = parseResultLine(output, c.id);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const v = parsed.value.metrics[c.metric];
  if (v === undefined) throw new Error(`no ${c.metric} in ${c.id} output`);
  return v;
}

function runDirect(binary: string, c: Case): Promise<number> {
  return new Promise((resolveRun, reject) => {
    execFile(binary, c.flags, { timeout: RUN_TIMEOUT_MS }, (error, stdout) => {
      if (error) return reject(error);
      try {
        resolveRun(metricOf(String(stdout), c));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

async function runPty(binary: string, c: Case, engine: Engine, cwd: string): Promise<number> {
  const res = await runInPty({
    file: binary,
    args: c.flags,
    cwd,
    timeoutMs: RUN_TIMEOUT_MS,
    tracker: engine.tracker,
    label: `harness ${c.id}`,
    onData: () => {},
  });
  return metricOf(res.output, c);
}

async function runRunner(engine: Engine, config: ExperimentConfig, c: Case): Promise<number> {
  const started = await engine.createRunner().start(config);
  if (!started.ok) throw new Error(started.error.message);
  const fin = await started.value.finished;
  const sample = engine.store.get(fin.runId).samples[0];
  if (!sample || sample.value === null)
    throw new Error(`runner repetition failed: ${sample?.error ?? fin.message}`);
  return sample.metrics[c.metric] ?? NaN;
}

/** Every way's value per round, each round in a rotated order of the ways. */
async function measureCase(
  c: Case,
  rounds: number,
  engine: Engine,
  scratch: string,
): Promise<Record<Way, number[]>> {
  const parsed = parseExperimentConfig({
    name: `harness ${c.id}`,
    platforms: ['native'],
    benchmarks: [{ id: c.id, params: c.params }],
    repetitions: { count: 1, warmup: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const binary = join(engine.paths.benchBinDir, c.id);
  const once: Record<Way, () => Promise<number>> = {
    direct: () => runDirect(binary, c),
    pty: () => runPty(binary, c, engine, scratch),
    runner: () => runRunner(engine, parsed.config, c),
  };
  const out: Record<Way, number[]> = { direct: [], pty: [], runner: [] };
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < WAYS.length; k++) {
      const way = WAYS[(r + k) % WAYS.length]!;
      out[way].push(await once[way]());
    }
    process.stdout.write('.');
  }
  return out;
}

/** a ÷ b paired by round, with its 95% interval. */
function paired(a: number[], b: number[]): Comparison | null {
  return compareObservations(
    a.map((value, round) => ({ value, round })),
    b.map((value, round) => ({ value, round })),
  );
}

function ratioText(c: Comparison | null): string {
  if (!c) return '?';
  const ci =
    c.low !== null && c.high !== null ? ` [${c.low.toFixed(4)}, ${c.high.toFixed(4)}]` : '';
  return `${c.ratio.toFixed(4)}${ci}`;
}

/**
 * The verdict on the target: met or not met when the whole interval says so, else undecided (the
 * point estimate's side shown): on a busy machine the interval is wider than the 1% asked.
 */
function verdict(c: Case, r: Comparison | null): string {
  if (!r) return '?';
  const meets = (x: number): boolean =>
    c.target.op === '>=' ? x >= c.target.value : x <= c.target.value;
  if (r.low === null || r.high === null)
    return meets(r.ratio) ? 'met (no interval)' : 'NOT met (no interval)';
  if (meets(r.low) && meets(r.high)) return 'met';
  if (!meets(r.low) && !meets(r.high)) return 'NOT met';
  return `undecided (point ${meets(r.ratio) ? 'meets' : 'misses'} it; interval too wide)`;
}

function rowOf(c: Case, v: Record<Way, number[]>): string[] {
  const runner = paired(v.runner, v.direct);
  return [
    `${c.id} ${c.metric}`,
    median(v.direct).toPrecision(6),
    median(v.pty).toPrecision(6),
    median(v.runner).toPrecision(6),
    (median(v.runner) / median(v.direct)).toFixed(4),
    ratioText(runner),
    ratioText(paired(v.pty, v.direct)),
    `${c.target.op} ${c.target.value}`,
    verdict(c, runner),
  ];
}

function printTable(rounds: number, rows: string[][]): void {
  const header = [
    'benchmark',
    'direct',
    'pty alone',
    'runner',
    'runner÷direct (medians)',
    'runner÷direct paired [95% CI]',
    'pty÷direct paired [95% CI]',
    'target',
    '',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(
    `Harness overhead: medians of ${rounds} rounds (direct child_process, node-pty alone, the whole engine)\n`,
  );
  process.stdout.write(
    `${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`,
  );
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_HARNESS_ROUNDS) || DEFAULT_ROUNDS;
  const scratch = mkdtempSync(join(tmpdir(), 'benchvisor-harness-'));
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir: join(scratch, 'runs') } });
  try {
    const rows: string[][] = [];
    for (const c of CASES) rows.push(rowOf(c, await measureCase(c, rounds, engine, scratch)));
    process.stdout.write('\n');
    printTable(rounds, rows);
  } finally {
    await engine.shutdown();
    rmSync(scratch, { recursive: true, force: true });
  }
}
