/**
 * vitest globalSetup (runs once, before any test file and in one process): builds the benchmark
 * binaries when one is missing. The helpers' own `ensureBenchBuilt` checks then find them, so
 * two test files never run scripts/build-bench.sh at the same time from their imports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOAD_CLIENT_NAME } from '../../src/main/benchmarks/nginx/httpLoad';
import { BINARY_NAMES } from '../../src/shared/catalogue';

const ROOT = join(import.meta.dirname, '..', '..');
const BENCH_BIN_DIR = join(ROOT, 'resources', 'bench', 'build');

export default function setup(): void {
  const missing = [...BINARY_NAMES, LOAD_CLIENT_NAME].filter(
    (b) => !existsSync(join(BENCH_BIN_DIR, b)),
  );
  if (missing.length === 0) return;
  console.log(`building the benchmark binaries once (missing: ${missing.join(', ')})`);
  execFileSync('bash', [join(ROOT, 'scripts', 'build-bench.sh')], { cwd: ROOT, stdio: 'inherit' });
}
