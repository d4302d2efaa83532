/**
 * Issue #9 item 4, through the real CLI: `benchvisor run /dev/zero` aborted with
 * bad_alloc and hung; a QEMU guest of 60000 MiB on this 24 GiB machine validated
 * and started. Now a config must be a small regular file, and the host preflight
 * refuses a guest the host cannot give before anything starts: exit 2, the field
 * named, no run stored.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_MAX_BYTES } from '../../src/main/cli/configFile';
import { skipUnless } from '../support/skip';
import { ROOT } from './helpers';
import { builtCli } from '../support/builtApp';

const CLI = builtCli();
/** Generous for a loaded 2-core machine: a hang is what is being ruled out. */
const CLI_TIMEOUT_MS = 120_000;
let root: string;
let runs: string;

function cli(args: string[]): Promise<{ code: number | string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, BENCHVISOR_RUNS: runs, BENCHVISOR_CACHE: join(root, 'cache') },
        timeout: CLI_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
      (error, _stdout, stderr) => {
        const e = error as (Error & { code?: number; killed?: boolean }) | null;
        const code = e ? (e.killed ? 'killed (hung)' : (e.code ?? -1)) : 0;
        resolve({ code, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bv-preflight-'));
  runs = join(root, 'runs');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('benchvisor run: config files', () => {
  it('/dev/zero, a FIFO and an oversized file are refused with exit 2, without hanging', async () => {
    const fifo = join(root, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(root, 'big.json');
    writeFileSync(big, ' '.repeat(CONFIG_FILE_MAX_BYTES + 1));
    const zero = await cli(['run', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(
      /config file \/dev\/zero is a device: a config must be a regular file/,
    );
    const pipe = await cli(['run', fifo]);
    expect(pipe.code).toBe(2);
    expect(pipe.stderr).toMatch(/is a pipe: a config must be a regular file/);
    const huge = await cli(['run', big]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/above the 1024 KiB limit for a config/);
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
  });
});

describe('benchvisor run: host preflight', () => {
  it('a 60000 MiB QEMU guest is refused before anything starts: exit 2, guest.memoryMiB named, no run stored', async (ctx) => {
    skipUnless(ctx, existsSync('/usr/bin/qemu-system-x86_64'), 'QEMU is not installed here');
    // The guest must be above what this host can give for the test to mean anything.
    expect(60000 * 1024 * 1024).toBeGreaterThan(freemem());
    const config = join(root, 'huge-guest.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'huge guest',
        platforms: ['native', 'qemu-tcg'],
        benchmarks: ['syscall'],
        guest: { memoryMiB: 60000 },
        repetitions: { count: 1 },
      }),
    );
    const r = await cli(['run', config]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /guest\.memoryMiB: 60000 MiB for qemu-tcg is more than this host can give/,
    );
    // Native (first in run order) never ran: no run folder at all.
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
  });
});
