import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { plannedLoads } from '../support/plannedLoads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planExperiment } from '../../src/main/run/plan';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { config } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'benchvisor-kernelpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a guest kernel the user names is checked by the preflight', () => {
  const qemu = createQemuPlatform('tcg', {
    paths: defaultAppPaths(),
    tracker: new ProcessTracker(),
    runners: {},
  });

  it('a missing kernelPath makes qemu-tcg unavailable before anything starts, with the fix', async () => {
    const cfg = config({ guest: { kernelPath: join(dir, 'no-such-vmlinuz') } });
    const plan = await planExperiment(
      cfg,
      plannedLoads(cfg).map((l) => l.target),
      [qemu],
      {},
    );
    expect(plan.targets).toEqual([]);
    expect(plan.skipped[0]).toMatchObject({ platform: 'qemu-tcg', kind: 'unavailable' });
    expect(plan.skipped[0]!.reason).toMatch(/no-such-vmlinuz cannot be read/);
    expect(plan.skipped[0]!.reason).toMatch(/guest\.kernelPath/);
  });

  it('a folder is refused as not a file; a readable file passes the check', async () => {
    const folder = await qemu.probe(config({ guest: { kernelPath: dir } }));
    expect(folder.available).toBe(false);
    expect(folder.reason).toMatch(/is not a file/);
    const file = join(dir, 'vmlinuz');
    writeFileSync(file, 'not really a kernel');
    const ok = await qemu.probe(config({ guest: { kernelPath: file } }));
    expect(ok.reason ?? '').not.toMatch(/kernel/);
  });
});
