/** Helpers for the real-QEMU tests: paths, contexts, process scans. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseExperimentConfig,
  type ExperimentConfigInput,
  type ExperimentConfig,
} from '../../src/shared/config';
import { BINARY_NAMES } from '../../src/shared/catalogue';
import type { PrepareContext } from '../../src/main/platforms/platform';
import { defaultAppPaths, type AppPaths } from '../../src/main/util/appPaths';

export const ROOT = join(import.meta.dirname, '..', '..');
const BINARIES = BINARY_NAMES;

/** Real paths, with the shared cache (the guest kernel download is reused between runs). */
export function qemuTestPaths(): AppPaths {
  const paths = defaultAppPaths();
  if (!BINARIES.every((b) => existsSync(join(paths.benchBinDir, b)))) {
    execFileSync('bash', [join(ROOT, 'scripts', 'build-bench.sh')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  return paths;
}

export function scratchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `bv-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function config(input: Partial<ExperimentConfigInput>): ExperimentConfig {
  const r = parseExperimentConfig({ platforms: ['qemu-tcg'], benchmarks: ['syscall'], ...input });
  if (!r.ok) throw new Error(r.message);
  return r.config;
}

export interface TestContext extends PrepareContext {
  consoleText(): string;
  logs: string[];
  controller: AbortController;
}

export function prepareContext(
  cfg: ExperimentConfig,
  runDir: string,
  /** The target being prepared (default: the first platform's id, the one target of a config that varies nothing). */
  target: string = cfg.platforms[0]!,
): TestContext {
  let text = '';
  const logs: string[] = [];
  const controller = new AbortController();
  return {
    runId: 'test-run',
    target,
    config: cfg,
    runDir,
    console: { data: (d) => void (text += d) },
    log: (level, message) => void logs.push(`${level}: ${message}`),
    signal: controller.signal,
    consoleText: () => text,
    logs,
    controller,
  };
}

/** Live qemu-system processes whose command line mentions `needle` (our unique scratch folder). */
export function qemuProcesses(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('qemu-system') && cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
