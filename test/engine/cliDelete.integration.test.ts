/**
 * `benchvisor delete` through the built CLI: a run whose record says running and whose process
 * lives (here: this test's own process, as the app measuring it would be) is refused, its folder
 * kept; once it has ended it is deleted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { tempDir } from './helpers';

const tmp = tempDir('cli-delete');
afterAll(() => tmp.cleanup());

function writeRun(runId: string, status: 'running' | 'completed'): string {
  const dir = join(tmp.dir, 'runs', runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'experiment.json'),
    JSON.stringify({
      runId,
      name: 'being measured',
      startedAt: new Date().toISOString(),
      status,
      pid: process.pid,
      hostname: hostname(),
      config: { platforms: ['native'], benchmarks: ['linpack'] },
    }),
  );
  return dir;
}

it('refuses a run still being measured and deletes it once ended', () => {
  const cli = builtCli();
  const del = (runId: string) =>
    spawnSync(process.execPath, [cli, 'delete', runId], {
      env: { ...process.env, BENCHVISOR_RUNS: join(tmp.dir, 'runs') },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const dir = writeRun('run-live', 'running');
  const refused = del('run-live');
  expect(refused.status, refused.stderr).toBe(2);
  expect(refused.stderr).toContain('run run-live is still being measured');
  expect(existsSync(dir)).toBe(true);
  writeRun('run-live', 'completed');
  const deleted = del('run-live');
  expect(deleted.status, deleted.stderr).toBe(0);
  expect(existsSync(dir)).toBe(false);
});
