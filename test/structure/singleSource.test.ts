/**
 * The single-source rules of ARCHITECTURE.md ("Add a platform", "Add a
 * benchmark"), checked on the source tree: platforms never name a benchmark,
 * the catalogue's binary entries are exactly the C sources, and every
 * platform has its traits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_IDS, BINARY_NAMES, CATALOGUE } from '../../src/shared/catalogue';
import { PLATFORM_IDS, PLATFORM_INFO } from '../../src/shared/platforms';
import { BINARY_SPECS } from '../../src/main/benchmarks/binary';
import { LOAD_CLIENT_NAME } from '../../src/main/benchmarks/nginx/httpLoad';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('single sources', () => {
  it('no file under src/main/platforms names a benchmark', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(join(ROOT, 'src', 'main', 'platforms'))) {
      const text = readFileSync(file, 'utf8');
      for (const id of BENCHMARK_IDS) {
        if (new RegExp(`\\b${id}\\b`, 'i').test(text)) offenders.push(`${file}: ${id}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the binary benchmarks are the catalogue entries marked binary, each with a C source', () => {
    // the one host tool beside them: the nginx benchmark's load client
    const sources = readdirSync(join(ROOT, 'resources', 'bench'))
      .filter((f) => f.endsWith('.c') && f !== `${LOAD_CLIENT_NAME}.c`)
      .map((f) => f.slice(0, -2))
      .sort();
    expect([...BINARY_NAMES].sort()).toEqual(sources);
    expect(BINARY_NAMES).toEqual(BENCHMARK_IDS.filter((id) => CATALOGUE[id].binary));
    expect(Object.keys(BINARY_SPECS).sort()).toEqual([...BINARY_NAMES].sort());
  });

  it('every binary parameter has a flag, and every benchmark a runner', () => {
    for (const id of BINARY_NAMES) {
      for (const p of CATALOGUE[id].params) expect(p.flag, `${id}.${p.key}`).toMatch(/^--/);
    }
    expect(Object.keys(createBenchmarkRunners()).sort()).toEqual([...BENCHMARK_IDS].sort());
  });

  it('every platform declares its traits once, and shaped means it takes guest-shape fields', () => {
    for (const id of PLATFORM_IDS) {
      const t = PLATFORM_INFO[id];
      expect(t.id).toBe(id);
      // The unikernel takes memory and the disk shape but no vCPU count (it runs on one CPU).
      expect(t.shaped).toBe(t.guestFields.length > 0);
      expect(t.slowdown).toBeGreaterThanOrEqual(1);
      if (t.wizardSection === 'accelerator') expect(t.accelerator).not.toBeNull();
    }
  });
});
