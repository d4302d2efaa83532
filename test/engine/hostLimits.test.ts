/**
 * Issue #9 item 4: absurd guest shapes validated and started (60000 MiB on a
 * 24 GiB host, 64 vCPUs on 2 CPUs, a 1 TiB raw disk preallocated in full with
 * 79 GB free); Docker's limits were checked only when its turn came, after
 * earlier platforms ran, with a failed run stored. The host preflight refuses
 * them before anything starts, naming the field; host facts are injected here.
 */
import { plannedLoads } from '../support/plannedLoads';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../src/shared/config';
import { computeFindings } from '../../src/shared/findings';
import type { PlatformId } from '../../src/shared/platforms';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats/summary';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { checkHostLimits } from '../../src/main/host/hostLimits';
import { ExperimentRunner } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import type { Platform, PlatformSession } from '../../src/main/platforms/platform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { GiB, issueHost, MiB } from '../support/hostCapacity';
import { tempDir } from './helpers';
import { cfg } from './runnerFakes';

function check(input: Partial<ExperimentConfigInput>, facts = issueHost()) {
  const config = cfg(input);
  const planned = plannedLoads(config);
  return checkHostLimits(config, planned, facts, '/runs');
}

describe('host limits', () => {
  it('refuses guest memory above what the host can give, naming the field', () => {
    const r = check({ platforms: ['qemu-tcg'], guest: { memoryMiB: 60000 } });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.field).toBe('guest.memoryMiB');
    expect(r.problems[0]!.message).toMatch(
      /guest\.memoryMiB: 60000 MiB for qemu-tcg is more than this host can give: 22528 MiB available of 24576 MiB/,
    );
    expect(check({ platforms: ['qemu-tcg'], guest: { memoryMiB: 2048 } }).problems).toEqual([]);
    // Native takes no guest shape: nothing to refuse.
    expect(check({ platforms: ['native'], guest: { memoryMiB: 60000 } }).problems).toEqual([]);
  });

  it('refuses vCPUs above the host CPUs unless overcommit is allowed (VMs only, never Docker)', () => {
    const refused = check({ platforms: ['qemu-tcg', 'docker'], guest: { vcpus: 64 } });
    expect(refused.problems.map((p) => p.field)).toEqual(['guest.vcpus', 'guest.vcpus']);
    expect(refused.problems[0]!.message).toMatch(
      /64 vCPUs for qemu-tcg is more than this host's 2 CPUs/,
    );
    expect(refused.problems[1]!.message).toMatch(
      /64-CPU limit for docker is above this host's 2 CPUs/,
    );
    const allowed = check({
      platforms: ['qemu-tcg', 'qemu-kvm'],
      guest: { vcpus: 4 },
      allowOvercommit: true,
      repetitions: { order: 'sequential', instances: 1 },
    });
    expect(allowed.problems).toEqual([]);
    expect(allowed.overcommit).toEqual([
      { platform: 'qemu-tcg', vcpus: 4, hostCpus: 2 },
      { platform: 'qemu-kvm', vcpus: 4, hostCpus: 2 },
    ]);
    const docker = check({ platforms: ['docker'], guest: { vcpus: 4 }, allowOvercommit: true });
    expect(docker.problems.map((p) => p.field)).toEqual(['guest.vcpus']);
  });

  it('checks every value of a variant list, whatever its order (issue #21 bug 1)', () => {
    // A 2-CPU host with 2 GiB: the first values fit, the second ones do not.
    const small = issueHost({ memoryTotalBytes: 2 * GiB, memoryAvailableBytes: 2 * GiB });
    for (const order of [
      { memoryMiB: [512, 65536], vcpus: [1, 16] },
      { memoryMiB: [65536, 512], vcpus: [16, 1] },
    ]) {
      const r = check({ platforms: ['qemu-tcg'], guest: order }, small);
      expect(r.problems.map((p) => p.field).sort()).toEqual(['guest.memoryMiB', 'guest.vcpus']);
      expect(r.problems.find((p) => p.field === 'guest.memoryMiB')!.message).toMatch(
        /guest\.memoryMiB: 65536 MiB for qemu-tcg\.\S*65536mib/,
      );
      expect(r.problems.find((p) => p.field === 'guest.vcpus')!.message).toMatch(
        /guest\.vcpus: 16 vCPUs for qemu-tcg\.16cpu/,
      );
    }
    // Overcommit allowed: recorded for the targets that overcommit, and only those.
    const allowed = check(
      { platforms: ['qemu-tcg'], guest: { vcpus: [1, 4] }, allowOvercommit: true },
      small,
    );
    expect(allowed.problems).toEqual([]);
    expect(allowed.overcommit).toEqual([
      { platform: 'qemu-tcg', target: 'qemu-tcg.4cpu', vcpus: 4, hostCpus: 2 },
    ]);
  });

  it('refuses a disk whose size × preallocation exceeds the free space of the run folder (where its scratch is)', () => {
    const full = check({
      platforms: ['qemu-tcg'],
      guest: { diskFormat: 'raw', diskSizeMiB: 1048576, preallocation: 'full' },
    });
    expect(full.problems.map((p) => p.field)).toEqual(['guest.diskSizeMiB']);
    expect(full.problems[0]!.message).toMatch(
      /a 1048576 MiB raw disk with preallocation=full for qemu-tcg needs 1048576 MiB in the run's scratch folder under \/runs, which has 75340 MiB free/,
    );
    // A sparse image only grows by what diskwrite writes into it.
    const sparse = {
      platforms: ['qemu-tcg'] as PlatformId[],
      guest: { diskFormat: 'raw' as const, diskSizeMiB: 1048576, preallocation: 'off' as const },
    };
    expect(check({ ...sparse, benchmarks: ['linpack'] }).problems).toEqual([]);
    const tight = issueHost({ freeBytes: () => 100 * MiB });
    expect(
      check(
        { ...sparse, benchmarks: [{ id: 'diskwrite', params: { sizeMiB: 200 } }] },
        tight,
      ).problems.map((p) => p.field),
    ).toEqual(['guest.diskSizeMiB']);
  });

  it('refuses a Docker memory limit above the host, and a native diskwrite above the run folder space', () => {
    const docker = check({ platforms: ['docker'], guest: { memoryMiB: 30000 } });
    expect(docker.problems[0]!.message).toMatch(
      /30000 MiB memory limit for docker is above this host's 24576 MiB/,
    );
    const native = check(
      { platforms: ['native'], benchmarks: [{ id: 'diskwrite', params: { sizeMiB: 512 } }] },
      issueHost({ freeBytes: (dir) => (dir === '/runs' ? 100 * MiB : 79e9) }),
    );
    expect(native.problems.map((p) => p.field)).toEqual(['benchmarks.0.params.sizeMiB']);
  });
});

function fakePlatform(id: PlatformId, prepared: PlatformId[]): Platform {
  return {
    id,
    capabilities: ['fork', 'syscall', 'float', 'memory', 'disk', 'network'],
    probe: () => Promise.resolve({ available: true }),
    supports: () => Promise.resolve({ available: true }),
    describe: () => Promise.resolve([]),
    prepare: async (): Promise<PlatformSession> => {
      prepared.push(id);
      return {
        diskTarget: '/dev/null',
        exec: () => Promise.resolve({ exitCode: 0, stdout: '', durationMs: 1 }),
        startService: () => Promise.reject(new Error('no')),
        write: () => true,
        meta: () => Promise.resolve({ vcpus: 4 }),
        dispose: () => Promise.resolve(),
      };
    },
  } as Platform;
}

const linpack: BenchmarkRunner = {
  id: 'linpack',
  run: () => Promise.resolve({ metrics: { kflops: 100 }, exitCode: 0, durationMs: 5 }),
} as BenchmarkRunner;

describe('the runner runs the host preflight before anything starts', () => {
  const tmp = tempDir('hostlimits');
  afterAll(() => tmp.cleanup());

  it('a shape the host cannot give: INVALID_CONFIG naming the field, no platform prepared, no run stored', async () => {
    const prepared: PlatformId[] = [];
    const runsDir = join(tmp.dir, 'runs-refused');
    const runner = new ExperimentRunner({
      platforms: (['native', 'qemu-tcg', 'docker'] as const).map((id) =>
        fakePlatform(id, prepared),
      ),
      runners: { linpack },
      store: new RunStore({ runsDir }),
      tracker: new ProcessTracker(),
      hostCapacity: () => issueHost(),
    });
    const r = await runner.start(
      cfg({ platforms: ['native', 'qemu-tcg', 'docker'], guest: { vcpus: 64 } }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_CONFIG');
    expect(r.error.message).toMatch(/guest\.vcpus: 64 vCPUs for qemu-tcg/);
    expect(r.error.message).toMatch(/guest\.vcpus: a 64-CPU limit for docker/);
    expect(prepared).toEqual([]);
    expect(existsSync(runsDir) ? readdirSync(runsDir) : []).toEqual([]);
  });

  it('an allowed overcommit runs, is recorded in experiment.json, and a finding explains it', async () => {
    const prepared: PlatformId[] = [];
    const runner = new ExperimentRunner({
      platforms: (['native', 'qemu-tcg'] as const).map((id) => fakePlatform(id, prepared)),
      runners: { linpack },
      store: new RunStore({ runsDir: join(tmp.dir, 'runs-over') }),
      tracker: new ProcessTracker(),
      hostCapacity: () => issueHost(),
    });
    const config = cfg({
      platforms: ['native', 'qemu-tcg'],
      guest: { vcpus: 4 },
      allowOvercommit: true,
      repetitions: { order: 'sequential', instances: 1 },
    });
    const r = await runner.start(config);
    if (!r.ok) throw new Error(r.error.message);
    const fin = await r.value.finished;
    expect(fin.status).toBe('completed');
    expect(prepared).toEqual(['native', 'qemu-tcg']);
    const exp = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8'));
    expect(exp.overcommit).toEqual([{ platform: 'qemu-tcg', vcpus: 4, hostCpus: 2 }]);
    expect(exp.config.allowOvercommit).toBe(true);
  });

  it('the overcommit finding (constructed samples)', () => {
    const sample = (platform: PlatformId, vcpus: number): Sample => ({
      runId: 'r',
      platform,
      benchmark: 'linpack',
      rep: 1,
      metric: 'kflops',
      value: 100,
      unit: 'KFLOPS',
      metrics: { kflops: 100 },
      startedAt: new Date(0).toISOString(),
      durationMs: 5,
      exitCode: 0,
      meta: { vcpus },
    });
    const samples = [sample('native', 2), sample('qemu-tcg', 4)];
    const findings = (config: unknown) =>
      computeFindings({ samples, summary: summarize(samples), environment: { cores: 2 }, config });
    const f = findings({ allowOvercommit: true, guest: { vcpus: 4 } }).find(
      (x) => x.id === 'vcpu-overcommit',
    );
    expect(f?.severity).toBe('warn');
    expect(f?.explanation).toMatch(/QEMU \(emulated, TCG\) had 4 vCPUs, on a host with 2 CPUs/);
    expect(f?.numbers).toMatchObject({ 'host CPUs': 2, 'qemu-tcg vCPUs': 4 });
    expect(findings({ allowOvercommit: false }).some((x) => x.id === 'vcpu-overcommit')).toBe(
      false,
    );
  });
});
