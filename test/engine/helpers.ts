/** Shared helpers for engine tests: temp folders, process scans, bench binaries. */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { BINARY_NAMES } from '../../src/shared/catalogue';
import { LOAD_CLIENT_NAME } from '../../src/main/benchmarks/nginx/httpLoad';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BENCH_BIN_DIR = join(ROOT, 'resources', 'bench', 'build');
/** Every binary the engine runs from the bench folder: the benchmarks and nginx's load client. */
export const BINARIES: readonly string[] = [...BINARY_NAMES, LOAD_CLIENT_NAME];

/** Builds the benchmark binaries when they are missing (real binaries in every test). */
export function ensureBenchBuilt(): void {
  if (BINARIES.every((b) => existsSync(join(BENCH_BIN_DIR, b)))) return;
  execFileSync('bash', [join(ROOT, 'scripts', 'build-bench.sh')], { cwd: ROOT, stdio: 'inherit' });
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `benchvisor-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Pids of live processes whose executable or command line mentions `needle`. */
export function processesMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) continue; // zombies are dead already
      let hit = false;
      try {
        hit = readlinkSync(`/proc/${entry}/exe`).includes(needle);
      } catch {
        /* no access */
      }
      if (!hit) hit = readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle);
      if (hit) pids.push(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return pids;
}

export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  stepMs = 50,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}

/**
 * A private copy of the benchmark binaries under `dir`, so that process scans by path only
 * see the processes of the test that made it. Call from beforeAll.
 */
export function privateBinDir(dir: string): string {
  ensureBenchBuilt();
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const b of BINARIES) copyFileSync(join(BENCH_BIN_DIR, b), join(binDir, b));
  return binDir;
}
