/**
 * Like for like with the real platforms in one run folder: native, Docker and
 * a TCG guest all write the disk benchmark into the run's scratch area (so to
 * the same host filesystem), every session records that filesystem in its
 * meta, and the guest's facts come from QMP and the guest itself. The guest's
 * disk is left unsized and diskwrite writes more than the old 256 MiB default:
 * it must fit (before, every repetition ended in ENOSPC).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createDockerPlatform } from '../../src/main/platforms/docker';
import { createNativePlatform } from '../../src/main/platforms/native/nativePlatform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import type { PlatformSession } from '../../src/main/platforms/platform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { requireDaemon, SKIP_DOCKER } from '../docker/dockerEnv';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';

/** Just above the old default disk of 256 MiB. */
const WRITE_MIB = 272;
const runDir = mkdtempSync(join(tmpdir(), 'bv-l4l-run-'));
const sockets = scratchDir('l4l');
afterAll(() => {
  rmSync(runDir, { recursive: true, force: true });
  sockets.cleanup();
});

describe('like for like (real native, Docker and TCG guest)', () => {
  it('one host filesystem for every disk target, recorded in meta; guest facts from QMP and the guest', async () => {
    const paths = qemuTestPaths();
    const runners = createBenchmarkRunners();
    const tracker = new ProcessTracker();
    const cfg = config({
      platforms: ['native', 'docker', 'qemu-tcg'],
      benchmarks: [{ id: 'diskwrite', params: { sizeMiB: WRITE_MIB, blockKiB: 1024 } }],
    });
    // the guest disk was left unset: sized to fit the write
    expect(cfg.guest.diskSizeMiB).toBe(WRITE_MIB);
    const bench = cfg.benchmarks[0]!;
    const metas: Record<string, Record<string, unknown>> = {};
    const run = async (name: string, session: PlatformSession) => {
      try {
        const o = await runners.diskwrite.run(session, bench.params, {
          timeoutMs: 300_000,
          signal: new AbortController().signal,
        });
        expect(o.error, `${name}: ${o.error}`).toBeUndefined();
        expect(o.metrics.fillSeconds).toBeGreaterThan(0);
        metas[name] = await session.meta();
      } finally {
        await session.dispose();
      }
    };

    const native = createNativePlatform({ benchBinDir: paths.benchBinDir, tracker, runners });
    await run('native', await native.prepare(prepareContext(cfg, runDir)));

    if (!SKIP_DOCKER) {
      const docker = createDockerPlatform({
        paths,
        tracker,
        runners,
        docker: await requireDaemon(),
      });
      const ctx = prepareContext(cfg, runDir, 'docker');
      ctx.runId = `l4l-${process.pid}-${Date.now().toString(36)}`;
      const session = await docker.prepare(ctx);
      // the container writes into the run's scratch folder, to a file this process owns
      const target = join(runDir, 'scratch', 'docker', 'disk-target.bin');
      expect(existsSync(target)).toBe(true);
      expect(statSync(target).uid).toBe(process.getuid!());
      await run('docker', session);
      expect(metas.docker).toMatchObject({ diskLayer: 'scratch', diskHostPath: target });
    }

    const qemu = createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: sockets.dir });
    const session = await qemu.prepare(prepareContext(cfg, runDir, 'qemu-tcg'));
    const image = join(runDir, 'scratch', 'qemu-tcg', `disk.${cfg.guest.diskFormat}`);
    expect(existsSync(image)).toBe(true);
    await run('qemu-tcg', session);
    expect(existsSync(image)).toBe(false);
    expect(qemuProcesses(sockets.dir)).toEqual([]);

    const fsOf = (p: string) => [metas[p]!.diskHostFs, metas[p]!.diskHostInRam];
    expect(metas.native!.diskHostFs).toMatch(/^[a-z0-9_.]+$/);
    for (const p of Object.keys(metas)) expect(fsOf(p)).toEqual(fsOf('native'));
    expect(metas['qemu-tcg']).toMatchObject({
      diskHostPath: image,
      diskAio: 'native',
      diskCache: { direct: true, writeback: true, noFlush: false },
      vcpus: 1,
      memoryMiB: 512,
      shapeFrom: 'qmp',
      kvmFrom: 'query-kvm now',
      cpuFactsFrom: 'guest at boot',
    });
    // the guest kernel's own facts (TCG's -cpu max presents its own CPU model)
    const guest = metas['qemu-tcg']!;
    expect(guest.clocksource).not.toBe('unknown');
    expect(guest.cpuModel).not.toBe('unknown');
    expect(typeof guest.cpuVulnerabilities).toBe('object');
    expect(metas.native!.cpuFactsFrom).toBe('host');
    console.log(
      `clocksource native ${String(metas.native!.clocksource)}, guest ${String(guest.clocksource)}; CPU guest "${String(guest.cpuModel)}" (${String(guest.cpuVendor)}), host "${String(metas.native!.cpuModel)}"; disk fs ${String(metas.native!.diskHostFs)}`,
    );
    expect(tracker.size).toBe(0);
  }, 600_000);
});
