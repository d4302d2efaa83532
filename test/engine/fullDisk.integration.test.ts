/**
 * Issue #23 items 3 and 4 on a real small file system: a 16 MiB tmpfs mounted by the test (it
 * runs as root here; where mounting is not permitted the test says so and skips).
 * 3: the disk check measures the file system of the run folder (where <run>/scratch holds the
 *    guest image), not $TMPDIR's.
 * 4: the disk fills during a real native run: the run stops at the first ENOSPC with a message
 *    naming the folder and the space needed; every sample line on disk is whole; no empty
 *    *.tmp-<pid> stays; the summary counts exactly the samples on disk; the run exports and
 *    imports again.
 */
import { plannedLoads } from '../support/plannedLoads';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHostLimits } from '../../src/main/host/hostLimits';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { exportBundle, importBundle } from '../../src/main/export';
import { parseExperimentConfig } from '../../src/shared/config';
import { summarize } from '../../src/shared/stats/summary';
import { privateBinDir, tempDir } from './helpers';
import { nativeRunner } from './nativeRunner';

/** Size of the small file system (the probe used 64 MiB; 16 fills faster). */
const SMALL_FS = '16m';
const FILL_CHUNK = Buffer.alloc(256 * 1024, 0x78);

const tmp = tempDir('full-disk');
const small = join(tmp.dir, 'small');
let mounted = false;
let whyNot = '';

beforeAll(() => {
  mkdirSync(small, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SMALL_FS}`, 'tmpfs', small], {
    encoding: 'utf8',
  });
  mounted = r.status === 0;
  if (!mounted)
    whyNot = `cannot mount a ${SMALL_FS} tmpfs here (${(r.stderr || r.error?.message || '').trim()}): a full disk needs root or CAP_SYS_ADMIN`;
});

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', small]);
  tmp.cleanup();
});

/** Writes zeros into `file` until the file system is full; returns the bytes written. */
function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  let total = 0;
  try {
    for (;;) total += writeSync(fd, FILL_CHUNK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return total;
}

describe('a small disk (issue #23 items 3 and 4)', () => {
  it('the disk check measures the run folder’s file system, not $TMPDIR', (ctx) => {
    if (!mounted) return ctx.skip(whyNot);
    const parsed = parseExperimentConfig({
      platforms: ['qemu-tcg'],
      benchmarks: ['linpack'],
      guest: { diskFormat: 'raw', diskSizeMiB: 1024, preallocation: 'full' },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const planned = plannedLoads(parsed.config);
    const check = checkHostLimits(
      parsed.config,
      planned,
      createHostProbe().capacity(),
      join(small, 'runs'),
    );
    expect(check.problems.map((p) => p.field)).toEqual(['guest.diskSizeMiB']);
    expect(check.problems[0]!.message).toContain(
      `needs 1024 MiB in the run's scratch folder under ${join(small, 'runs')}`,
    );
  });

  it('a disk filling up mid-run stops the run cleanly; the run exports and imports again', async (ctx) => {
    if (!mounted) return ctx.skip(whyNot);
    const binDir = privateBinDir(tmp.dir);
    const { runner, tracker, store } = nativeRunner(binDir, join(small, 'runs'), {
      summarize: (s) => summarize(s),
    });
    const parsed = parseExperimentConfig({
      platforms: ['native'],
      benchmarks: ['syscall'],
      repetitions: { count: 200 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    let seen = 0;
    let filled = false;
    const filler = join(small, 'filler');
    runner.on('run:sample', () => {
      // After two samples, the disk fills up (another process's file, as in real life).
      if (++seen === 2 && !filled) {
        filled = true;
        fillUp(filler);
      }
    });
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const dir = fin.dir;

    expect(fin.status).toBe('failed');
    expect(fin.message).toMatch(
      new RegExp(
        `no space left on the file system holding ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: writing a sample of syscall needed \\d+ more bytes`,
      ),
    );
    expect(fin.measured).toBeLessThan(200);
    expect(tracker.size).toBe(0);

    const lines = readFileSync(join(dir, 'samples.ndjson'), 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // the file ends with a newline: no torn last line
    const onDisk = lines.map((l) => JSON.parse(l) as { value: number | null });
    expect(onDisk).toHaveLength(fin.measured);
    expect(readdirSync(dir).filter((n) => /\.tmp-|^\.reserve$/.test(n))).toEqual([]);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      cells: { main: boolean; n: number; failed: number }[];
    };
    const main = summary.cells.filter((c) => c.main);
    expect(main.reduce((a, c) => a + c.n + c.failed, 0)).toBe(onDisk.length);
    const experiment = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
    expect(experiment.status).toBe('failed');
    expect(experiment.message).toMatch(/no space left/);

    rmSync(filler);
    const zip = join(tmp.dir, 'full-disk-run.zip');
    await exportBundle(store, fin.runId, zip);
    const back = await importBundle(zip, { runsDir: join(tmp.dir, 'imported') });
    expect(back.samples).toBe(onDisk.length);
  });
});
