/**
 * The host probe (host/hostProbe.ts) over a constructed /proc: the machine's facts, the capacity
 * the preflight sees and environment.json's host fields come from the files it is given.
 */
import { describe, expect, it } from 'vitest';
import { createHostProbe } from '../../src/main/host/hostProbe';

const PROC = '/fake/proc';
const MiB = 1024 * 1024;

/** A constructed /proc: cpuinfo with or without the hypervisor flag, meminfo with MemAvailable. */
function files(hypervisor: boolean): (path: string) => string | null {
  const text: Record<string, string> = {
    [`${PROC}/cpuinfo`]: `processor\t: 0\nflags\t\t: fpu vme svm${hypervisor ? ' hypervisor' : ''}\n`,
    [`${PROC}/meminfo`]: 'MemTotal:       4096000 kB\nMemAvailable:    1024 kB\n',
  };
  return (path) => text[path] ?? null;
}

describe('host probe', () => {
  it('reads virtualization and the CPU flag from the cpuinfo it is given', async () => {
    const probe = createHostProbe({ procDir: PROC, read: files(true) });
    expect(probe.facts().virtualized).toBe(true);
    const env = await probe.environment();
    expect(env.hostVirtualized).toBe(true);
    expect(env.kvm.cpuFlag).toBe('svm');
    expect(env.cores).toBe(probe.facts().cores);
    expect(createHostProbe({ procDir: PROC, read: files(false) }).facts().virtualized).toBe(false);
  });

  it('says "unknown" (null) for virtualization when cpuinfo cannot be read', () => {
    expect(createHostProbe({ procDir: PROC, read: () => null }).facts().virtualized).toBeNull();
  });

  it('gives the preflight MemAvailable from the meminfo it is given', () => {
    const capacity = createHostProbe({ procDir: PROC, read: files(false) }).capacity();
    expect(capacity.memoryAvailableBytes).toBe(1024 * 1024);
    expect(capacity.memoryTotalBytes).toBeGreaterThan(MiB);
    expect(capacity.cpus).toBeGreaterThan(0);
  });
});
