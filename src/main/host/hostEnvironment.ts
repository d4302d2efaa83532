/**
 * The host's part of environment.json: the machine (shared HostFacts: hostname, CPU model and
 * count, memory, kernel, arch, virtualized), and what a run also records about it: kernel
 * version, free memory, load, frequency governor, CPU facts, the host's conditions and KVM.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { arch, cpus, freemem, hostname, loadavg, release, totalmem, version } from 'node:os';
import type { HostFacts } from '../../shared/agentProtocol';
import type { HostConditions } from '../../shared/host/conditions';
import type { CpuFacts } from './cpuFacts';
import type { ReadText } from './procReader';

const MiB = 1024 * 1024;
/** The first CPU's frequency governor (absent in most VMs and containers). */
const GOVERNOR_FILE = '/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor';

export interface HostKvm {
  devicePresent: boolean;
  deviceUsable: boolean;
  moduleLoaded: boolean;
  cpuFlag: string | null;
}

/** environment.json's host fields (the run adds collectedAt, node and tool versions). */
export interface HostEnvironment extends Pick<
  HostFacts,
  'hostname' | 'cpuModel' | 'cores' | 'kernel' | 'memoryMiB'
> {
  kernelVersion: string;
  freeMemoryMiB: number;
  loadAverage: number[];
  governor: string;
  /** Whether this host itself runs under a hypervisor (the `hypervisor` CPU flag). */
  hostVirtualized: boolean;
  cpuFacts: CpuFacts;
  /**
   * The host's conditions before the run (governor, boost, ASLR, isolated CPUs, load, memory
   * available, virtualization), each "unknown" where it cannot be read.
   */
  host: HostConditions;
  kvm: HostKvm;
}

/** The `flags` line of /proc/cpuinfo ('' when unreadable). */
function cpuFlags(read: ReadText, procDir: string): string {
  const info = read(`${procDir}/cpuinfo`) ?? '';
  return info.split('\n').find((l) => l.startsWith('flags')) ?? '';
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The machine, read now. `virtualized` is null when /proc/cpuinfo is unreadable. */
export function readHostFacts(read: ReadText, procDir = '/proc'): HostFacts {
  const list = cpus();
  const cpuinfo = read(`${procDir}/cpuinfo`);
  return {
    hostname: hostname(),
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryMiB: Math.round(totalmem() / MiB),
    kernel: release(),
    arch: arch(),
    virtualized: cpuinfo === null ? null : /\bhypervisor\b/.test(cpuinfo),
  };
}

/** The KVM device, module and the CPU's virtualization flag. */
function readKvm(flags: string): HostKvm {
  return {
    devicePresent: existsSync('/dev/kvm'),
    deviceUsable: kvmUsable(),
    moduleLoaded: existsSync('/sys/module/kvm'),
    cpuFlag: /\bvmx\b/.test(flags) ? 'vmx' : /\bsvm\b/.test(flags) ? 'svm' : null,
  };
}

/** The host's fields of environment.json, from the machine's facts and the readings given. */
export function hostEnvironment(
  facts: HostFacts,
  more: { read: ReadText; procDir: string; cpuFacts: CpuFacts; conditions: HostConditions },
): HostEnvironment {
  const flags = cpuFlags(more.read, more.procDir);
  return {
    hostname: facts.hostname,
    cpuModel: facts.cpuModel,
    cores: facts.cores,
    kernel: facts.kernel,
    kernelVersion: version(),
    memoryMiB: facts.memoryMiB,
    freeMemoryMiB: Math.round(freemem() / MiB),
    loadAverage: loadavg(),
    governor: more.read(GOVERNOR_FILE)?.trim() || 'unknown (no cpufreq in this kernel/VM)',
    hostVirtualized: /\bhypervisor\b/.test(flags),
    cpuFacts: more.cpuFacts,
    host: more.conditions,
    kvm: readKvm(flags),
  };
}
