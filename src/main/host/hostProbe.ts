/**
 * The host probe: the one way src/main reads the host it runs on. composition.ts creates one and
 * passes it to whoever needs the host (the runner's preflight, CPU sampler and environment.json,
 * the API's host line, the agent's facts, the platforms' host meta, the nginx benchmark's server
 * CPU). Nothing else in src/main reads /proc, /sys or os.cpus()/totalmem()/loadavg() for facts
 * about the host; tests construct a probe over a fake /proc.
 */
import { hostname, release } from 'node:os';
import type { HostFacts } from '../../shared/agentProtocol';
import type { HostConditions } from '../../shared/host/conditions';
import { readHostCapacity, type HostCapacity } from './hostCapacity';
import { collectHostConditions } from './hostConditions';
import { createHostCpuSampler, type HostCpuSampler } from './hostCpuSampler';
import { hostEnvironment, readHostFacts, type HostEnvironment } from './hostEnvironment';
import { hostFilesystemOf, type HostFilesystem } from './hostFilesystem';
import { readHostCpuFacts, type CpuFacts } from './cpuFacts';
import {
  createProcReader,
  readTextOrNull,
  type ProcReader,
  type ProcReaderOptions,
} from './procReader';

export interface HostProbe {
  /** The machine: hostname, CPU model and count, memory, kernel, arch, virtualized. */
  facts(): HostFacts;
  /** This machine's name (docker labels, a run's experiment.json: whose live process it is). */
  hostname(): string;
  /** The running kernel's release (its /boot image is the QEMU guest's default kernel). */
  kernelRelease(): string;
  /** What the host can give a run now (CPUs, memory available, free disk): the preflight's input. */
  capacity(): HostCapacity;
  /** Clocksource, CPU vendor/model, vulnerability mitigations. */
  cpuFacts(): Promise<CpuFacts>;
  /** Governor, boost, ASLR, isolated CPUs, load, memory, virtualization. */
  conditions(): HostConditions;
  /** environment.json's host fields. */
  environment(): Promise<HostEnvironment>;
  /** The file system (mount) holding a path; null when unknown. */
  filesystemOf(path: string): Promise<HostFilesystem | null>;
  /** The CPU split during a repetition (the run's own processes vs other load). */
  readonly cpu: HostCpuSampler;
  /** The /proc reader behind the CPU samplers. */
  readonly proc: ProcReader;
}

export interface HostProbeOptions extends ProcReaderOptions {
  /** This machine's name (default os.hostname(); tests give another host's). */
  hostname?: string;
  /** The running kernel's release (default os.release()). */
  kernelRelease?: string;
}

export function createHostProbe(opts: HostProbeOptions = {}): HostProbe {
  const procDir = opts.procDir ?? '/proc';
  const read = opts.read ?? readTextOrNull;
  const proc = createProcReader({ procDir, read });
  const probe: HostProbe = {
    facts: () => ({
      ...readHostFacts(read, procDir),
      hostname: probe.hostname(),
      kernel: probe.kernelRelease(),
    }),
    hostname: () => opts.hostname ?? hostname(),
    kernelRelease: () => opts.kernelRelease ?? release(),
    capacity: () => readHostCapacity(read, procDir),
    cpuFacts: () => readHostCpuFacts({ cpuinfo: `${procDir}/cpuinfo` }),
    conditions: () => collectHostConditions(read),
    environment: async () =>
      hostEnvironment(probe.facts(), {
        read,
        procDir,
        cpuFacts: await probe.cpuFacts(),
        conditions: probe.conditions(),
      }),
    filesystemOf: (path) => hostFilesystemOf(path, `${procDir}/self/mountinfo`),
    cpu: createHostCpuSampler({ proc }),
    proc,
  };
  return probe;
}
