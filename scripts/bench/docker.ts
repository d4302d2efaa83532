/**
 * Docker ÷ native: the quick profile's six benchmarks on both platforms in one
 * run (5 repetitions each), then the ratio of the medians of each benchmark's
 * main metric. For "higher is better" metrics a ratio below 1 means docker is
 * slower; for "lower is better" metrics a ratio above 1 means docker is slower.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARK_IDS, CATALOGUE } from '../../src/shared/catalogue';
import { parseExperimentConfig } from '../../src/shared/config';
import type { Sample } from '../../src/shared/sample';
import { createEngine } from '../../src/main/composition';
import { defaultAppPaths } from '../../src/main/util/appPaths';

/** Repetitions per platform and benchmark (medians of these are compared). */
const REPETITIONS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export async function run(): Promise<void> {
  const runsDir = await mkdtemp(join(tmpdir(), 'benchvisor-bench-docker-'));
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir } });
  try {
    const docker = engine.platforms.find((p) => p.id === 'docker');
    const availability = docker
      ? await docker.probe()
      : { available: false, reason: 'no docker platform' };
    if (!availability.available) {
      console.log(
        `docker ÷ native: skipped (${availability.reason}${availability.fix ? `; fix: ${availability.fix}` : ''})`,
      );
      return;
    }
    const parsed = parseExperimentConfig({
      name: 'bench: docker vs native',
      platforms: ['native', 'docker'],
      profile: 'quick',
      benchmarks: [...BENCHMARK_IDS],
      repetitions: { count: REPETITIONS, warmup: 1 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await engine.createRunner().start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const finished = await started.value.finished;
    const samples = readFileSync(join(finished.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Sample);

    console.log(
      `docker ÷ native (quick profile, median of ${REPETITIONS}, docker ${String(availability.details?.version)}, ${String(availability.details?.storageDriver)}):`,
    );
    for (const id of BENCHMARK_IDS) {
      const def = CATALOGUE[id];
      const metric = def.metrics.find((m) => m.key === def.mainMetric);
      const values = (platform: string) =>
        samples
          .filter((s) => s.platform === platform && s.benchmark === id && s.value !== null)
          .map((s) => s.value as number);
      const native = values('native');
      const inDocker = values('docker');
      if (native.length === 0 || inDocker.length === 0) {
        console.log(
          `  ${id.padEnd(10)} no ratio (native ${native.length} / docker ${inDocker.length} good samples)`,
        );
        continue;
      }
      const n = median(native);
      const d = median(inDocker);
      const direction = metric?.direction === 'higher' ? 'higher is better' : 'lower is better';
      console.log(
        `  ${id.padEnd(10)} ${(d / n).toFixed(3)}  (native ${n.toPrecision(4)} ${metric?.unit ?? ''}, docker ${d.toPrecision(4)} ${metric?.unit ?? ''}; ${direction})`,
      );
    }
  } finally {
    await engine.shutdown();
    await rm(runsDir, { recursive: true, force: true });
  }
}
