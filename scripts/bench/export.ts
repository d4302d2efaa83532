/**
 * Bundle export/import timing: a synthetic run with 10,000 samples and 50 MB of
 * console logs is exported (reports, plots, CSV, zip) and imported back.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunStore } from '../../src/main/store/runStore';
import { exportBundle, importBundle } from '../../src/main/export';
import { BENCHMARK_IDS, CATALOGUE } from '../../src/shared/catalogue';
import type { PlatformId } from '../../src/shared/platforms';
import type { Sample } from '../../src/shared/sample';

const SAMPLES = 10_000;
const CONSOLE_BYTES = 50 * 1024 * 1024;
const PLATFORMS: PlatformId[] = ['native', 'docker', 'qemu-tcg', 'qemu-kvm'];
/** Export/import rounds; the table shows the median and the spread. */
const ROUNDS = 3;

/** Deterministic pseudo-random numbers (LCG) so every run builds the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function syntheticRun(runsDir: string, runId: string): void {
  const dir = join(runsDir, runId);
  mkdirSync(join(dir, 'consoles'), { recursive: true });
  const rnd = lcg(42);
  const cells = PLATFORMS.flatMap((p) => BENCHMARK_IDS.map((b) => [p, b] as const));
  const perCell = Math.ceil(SAMPLES / cells.length);
  const lines: string[] = [];
  let made = 0;
  for (const [platform, benchmark] of cells) {
    const def = CATALOGUE[benchmark];
    const metric = def.mainMetric;
    const unit = def.metrics.find((m) => m.key === metric)?.unit ?? '';
    for (let rep = 1; rep <= perCell && made < SAMPLES; rep++, made++) {
      const value = 100 * (1 + (rnd() - 0.5) * 0.1) * (platform === 'qemu-tcg' ? 0.05 : 1);
      const s: Sample = {
        runId,
        platform,
        benchmark,
        rep,
        metric,
        value,
        unit,
        metrics: { [metric]: value },
        startedAt: new Date(Date.UTC(2024, 0, 1) + made * 1000).toISOString(),
        durationMs: 1000,
        exitCode: 0,
        meta: { vcpus: platform === 'native' ? 2 : 1, kvmEnabled: platform === 'qemu-kvm' },
      };
      lines.push(JSON.stringify(s));
    }
  }
  writeFileSync(join(dir, 'samples.ndjson'), lines.join('\n') + '\n');
  writeFileSync(
    join(dir, 'experiment.json'),
    JSON.stringify({
      runId,
      name: 'Export benchmark',
      startedAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T03:00:00.000Z',
      status: 'completed',
      config: {
        platforms: PLATFORMS,
        benchmarks: [...BENCHMARK_IDS],
        profile: 'quick',
        expectations: [],
      },
      formatVersion: 1,
    }),
  );
  writeFileSync(join(dir, 'environment.json'), JSON.stringify({ cpuModel: 'synthetic', cores: 2 }));
  // Console logs: varied text lines (like real benchmark progress output), 50 MB in total.
  for (const p of PLATFORMS) {
    const parts: string[] = [];
    let size = 0;
    let i = 0;
    while (size < CONSOLE_BYTES / PLATFORMS.length) {
      const line = `[${(i * 0.013).toFixed(3)}] ${p} rep ${i % 997}: ${Math.floor(rnd() * 1e9)} KFLOPS residual ${rnd().toExponential(3)}\r\n`;
      parts.push(line);
      size += line.length;
      i++;
    }
    writeFileSync(join(dir, 'consoles', `${p}.log`), parts.join(''));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bv-bench-export-'));
  try {
    const runsDir = join(root, 'runs');
    syntheticRun(runsDir, 'bench-run');
    const store = new RunStore({ runsDir });
    const exportMs: number[] = [];
    const importMs: number[] = [];
    let bytes = 0;
    let entries = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const out = join(root, `bundle-${r}.zip`);
      let t = performance.now();
      const res = await exportBundle(store, 'bench-run', out);
      exportMs.push(performance.now() - t);
      bytes = res.bytes;
      entries = res.entries.length;
      t = performance.now();
      const imp = await importBundle(out, { runsDir: join(root, `imported-${r}`) });
      importMs.push(performance.now() - t);
      if (imp.samples !== SAMPLES)
        throw new Error(`import kept ${imp.samples} of ${SAMPLES} samples`);
    }
    const consoleMb =
      PLATFORMS.reduce(
        (a, p) => a + statSync(join(runsDir, 'bench-run', 'consoles', `${p}.log`)).size,
        0,
      ) / 1e6;
    const row = (name: string, xs: number[]) =>
      `${name.padEnd(8)} median ${(median(xs) / 1000).toFixed(2)} s   (min ${(Math.min(...xs) / 1000).toFixed(2)} s, max ${(Math.max(...xs) / 1000).toFixed(2)} s, ${ROUNDS} rounds)`;
    process.stdout.write(
      [
        `synthetic run: ${SAMPLES} samples, ${consoleMb.toFixed(1)} MB console logs, ${PLATFORMS.length}×${BENCHMARK_IDS.length} cells`,
        `bundle: ${(bytes / 1e6).toFixed(2)} MB, ${entries} entries`,
        row('export', exportMs),
        row('import', importMs),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
