/**
 * Refusals of the real, built CLI (out/main/cli.js, as users run it): a config whose guest disk
 * cannot hold the disk write and a non-loopback `serve --host` without --expose both exit 2
 * before anything starts or binds. The logic behind both is unit-tested in diskFit.test.ts and
 * serveArgs.test.ts; this file spawns processes, so it is in the integration project.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, builtCli } from '../support/builtApp';
import { tempDir } from './helpers';

/** A refusal happens before any work: far below this. */
const CLI_TIMEOUT_MS = 60_000;

describe('the built CLI refuses before starting anything', () => {
  const tmp = tempDir('cli-refusals');
  afterAll(() => tmp.cleanup());

  it('run: the too-small guest disk, exit 2 and the field on stderr', () => {
    const path = join(tmp.dir, 'small-disk.json');
    writeFileSync(
      path,
      JSON.stringify({
        platforms: ['qemu-tcg'],
        profile: 'standard',
        benchmarks: ['diskwrite'],
        guest: { diskSizeMiB: 256 },
      }),
    );
    const r = spawnSync(process.execPath, [builtCli(), 'run', path], {
      cwd: ROOT,
      env: { ...process.env, BENCHVISOR_RUNS: join(tmp.dir, 'runs') },
      encoding: 'utf8',
      timeout: CLI_TIMEOUT_MS,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/guest\.diskSizeMiB: 256 MiB is too small: diskwrite writes 512 MiB/);
  });

  it('serve --host 0.0.0.0 without --expose: exit 2 before binding anything', () => {
    const r = spawnSync(process.execPath, [builtCli(), 'serve', '--host', '0.0.0.0'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: CLI_TIMEOUT_MS,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0: this address is reachable from other machines/);
    expect(r.stdout).not.toMatch(/token=/);
  });
});
