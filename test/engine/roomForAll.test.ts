/**
 * Room for every target at once (issue 19 item 4): in interleaved order every target is live
 * together, so the guests' memory and disk images add up; where they do not fit, the targets
 * are interleaved in groups that do. Host facts are constructed here.
 */
import { plannedLoads } from '../support/plannedLoads';
import { describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../src/shared/config';
import { GiB, issueHost } from '../support/hostCapacity';
import { cfg } from './runnerFakes';
import { fitGroups, groupsText, hostPlan, liveNeeds } from '../../src/main/host/roomForAll';

function plan(input: Partial<ExperimentConfigInput>, facts = issueHost()) {
  const config = cfg(input);
  const planned = plannedLoads(config);
  return { config, planned, result: hostPlan(config, planned, facts, '/runs') };
}

describe('room for every target at once', () => {
  it('groups in target order, a new group when the next target would not fit', () => {
    const needs = [
      { id: 'a', memoryMiB: 8192, diskMiB: 0 },
      { id: 'b', memoryMiB: 8192, diskMiB: 0 },
      { id: 'c', memoryMiB: 8192, diskMiB: 0 },
      { id: 'native', memoryMiB: 0, diskMiB: 0 },
    ];
    expect(fitGroups(needs, { memoryMiB: 22528, diskMiB: null })).toEqual([
      ['a', 'b'],
      ['c', 'native'],
    ]);
    expect(fitGroups(needs, { memoryMiB: 30000, diskMiB: null })).toEqual([
      ['a', 'b', 'c', 'native'],
    ]);
    // Disk images add up as well.
    const disks = needs.map((n) => ({ ...n, memoryMiB: 0, diskMiB: 600 }));
    expect(fitGroups(disks, { memoryMiB: 1, diskMiB: 1300 })).toEqual([
      ['a', 'b'],
      ['c', 'native'],
    ]);
    expect(groupsText([['a', 'b'], ['c']])).toBe('a, b | c');
  });

  it('3 guests × 8 GiB on a 22 GiB host: interleaved in groups that fit; sequential needs none', () => {
    const guests = { platforms: ['qemu-tcg' as const], guest: { memoryMiB: [8192, 8193, 8194] } };
    const inter = plan({ ...guests, repetitions: { order: 'interleaved' } });
    expect(inter.result.ok && inter.result.value.groups).toEqual([
      ['qemu-tcg.8192mib', 'qemu-tcg.8193mib'],
      ['qemu-tcg.8194mib'],
    ]);
    // Each alone fits: no refusal, and a run one target at a time needs no groups.
    const seq = plan({ ...guests, repetitions: { order: 'sequential' } });
    expect(seq.result).toEqual({ ok: true, value: { overcommit: [], groups: null } });
    // On a bigger host they all fit at once.
    const big = plan(
      { ...guests, repetitions: { order: 'interleaved' } },
      issueHost({ memoryAvailableBytes: 30 * GiB }),
    );
    expect(big.result.ok && big.result.value.groups).toBeNull();
  });

  it('only guests hold memory and disk while live (native, containers: 0); each value its own need', () => {
    const { planned } = plan({
      platforms: ['native', 'docker', 'qemu-tcg'],
      benchmarks: ['diskwrite'],
      guest: { memoryMiB: [512, 1024] },
    });
    const needs = liveNeeds(planned);
    const byId = Object.fromEntries(needs.map((n) => [n.id, n]));
    expect(byId['native']).toMatchObject({ memoryMiB: 0, diskMiB: 0 });
    expect(Object.keys(byId).filter((id) => id.startsWith('docker'))).not.toHaveLength(0);
    for (const [id, n] of Object.entries(byId))
      if (id.startsWith('docker')) expect(n).toMatchObject({ memoryMiB: 0, diskMiB: 0 });
    expect(byId['qemu-tcg.512mib']!.memoryMiB).toBe(512);
    expect(byId['qemu-tcg.1024mib']!.memoryMiB).toBe(1024);
    expect(byId['qemu-tcg.512mib']!.diskMiB).toBeGreaterThan(0);
  });

  it('memoryMiB [512, 65536] is refused on a smaller host whatever the order and the list order', () => {
    for (const order of ['interleaved', 'sequential'] as const)
      for (const memoryMiB of [
        [512, 65536],
        [65536, 512],
      ]) {
        const r = plan({
          platforms: ['qemu-tcg'],
          guest: { memoryMiB },
          repetitions: { order },
        }).result;
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('INVALID_CONFIG');
          expect(r.error.message).toMatch(/guest\.memoryMiB: 65536 MiB for qemu-tcg\.65536mib/);
        }
      }
  });
});
