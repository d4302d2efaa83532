/**
 * Issue #9 item 3: Ctrl-C during `benchvisor import` of a large bundle left a
 * `.import-*` folder that `list` showed as a completed run (which `show` could
 * not find and nobody could delete). Imports now unpack into a hidden staging
 * folder carrying the importer's pid: removed on SIGINT/SIGTERM, never listed,
 * and swept by the next start when its process was killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/store/runStore';
import { STAGING_FOLDER } from '../../src/main/export';
import { cellSamples } from './fixtures';
import { craftZip } from './zipCraft';
import { builtCli } from '../support/builtApp';

const CLI = builtCli();
const MiB = 1024 * 1024;
/** Console log in the bundle: big enough that unpacking it takes a while. */
const CONSOLE_PIECE_BYTES = 8 * MiB;
const CONSOLE_PIECES = 40;

let root: string;
let zip: string;

/** A valid bundle with a 320 MiB console log (≈ 2 MB zipped, 160×: under the ratio limit). */
function bigBundle(): Buffer {
  const line = Buffer.from('linpack: rep 1 of 5, 1.93 GFLOPS (residual 1.2e-13) ok\r\n');
  const piece = Buffer.alloc(CONSOLE_PIECE_BYTES);
  for (let o = 0; o < piece.length; o += line.length) line.copy(piece, o);
  // Pieces compressed on their own and sync-flushed can be concatenated into one stream.
  const deflated = deflateRawSync(piece, {
    strategy: constants.Z_FIXED,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  let crc = 0;
  for (let i = 0; i < CONSOLE_PIECES; i++) crc = crc32(piece, crc);
  const body = Buffer.concat([
    ...Array.from({ length: CONSOLE_PIECES }, () => deflated),
    Buffer.from([0x03, 0x00]),
  ]);
  const samples = cellSamples('native', 'syscall', 100, { runId: 'big-run' });
  return craftZip([
    {
      name: 'experiment.json',
      data: JSON.stringify({
        runId: 'big-run',
        name: 'big bundle',
        startedAt: '2024-01-01T00:00:00.000Z',
        status: 'completed',
        config: { platforms: ['native'], benchmarks: ['syscall'] },
      }),
    },
    { name: 'samples.ndjson', data: samples.map((s) => JSON.stringify(s)).join('\n') + '\n' },
    {
      name: 'consoles/native.log',
      deflated: { body, size: CONSOLE_PIECE_BYTES * CONSOLE_PIECES, crc },
    },
  ]);
}

function env(runs: string): NodeJS.ProcessEnv {
  return { ...process.env, BENCHVISOR_RUNS: runs, BENCHVISOR_CACHE: join(root, 'cache') };
}

function cli(runs: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: env(runs),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function output(child: ChildProcess): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout };
}

/** This child's staging folder once it has started writing the console log, else null. */
function stagingOf(runs: string, pid: number): string | null {
  const staging = join(runs, STAGING_FOLDER);
  if (!existsSync(staging)) return null;
  const mine = readdirSync(staging).find((n) => n.startsWith(`import-${pid}-`));
  if (!mine) return null;
  const log = join(staging, mine, 'consoles', 'native.log');
  try {
    return statSync(log).size > 0 ? join(staging, mine) : null;
  } catch {
    return null;
  }
}

/** Starts an import and returns once it is part-way through unpacking the console log. */
async function importCaughtMidway(runs: string): Promise<{ child: ChildProcess; dir: string }> {
  const child = cli(runs, ['import', zip]);
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !exited) {
    const dir = stagingOf(runs, child.pid!);
    if (dir) return { child, dir };
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error(
    `the import ${exited ? 'ended' : 'did not start unpacking'} before it was caught mid-way`,
  );
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bv-staging-'));
  zip = join(root, 'big.zip');
  writeFileSync(zip, bigBundle());
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an interrupted import', () => {
  it('Ctrl-C (SIGINT) mid-way removes the staging folder; list shows no ghost run', async () => {
    const runs = join(root, 'runs-int');
    const { child, dir } = await importCaughtMidway(runs);
    expect(new RunStore({ runsDir: runs }).list()).toEqual([]); // staging is never listed
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(130);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(runs)).toEqual([]);
    const list = await output(cli(runs, ['list', '--json']));
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('SIGKILL mid-way leaves a folder that is never listed and is swept by the next start', async () => {
    const runs = join(root, 'runs-kill');
    const { child, dir } = await importCaughtMidway(runs);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(dir)).toBe(true); // a killed process cannot clean up
    expect(new RunStore({ runsDir: runs }).list()).toEqual([]);
    // The next start (any command that builds the engine) removes it: its process is dead.
    const list = await output(cli(runs, ['list', '--json']));
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(runs)).toEqual([]);
  });
});
