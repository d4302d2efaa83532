/**
 * Host facts recorded with every run (environment.json): CPU, kernel,
 * memory, load, frequency governor, tool versions, the KVM state, and the
 * host's conditions (hostConditions.ts).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { readHostCpuFacts, type CpuFacts } from '../host/cpuFacts';
import { cpus, freemem, hostname, loadavg, release, totalmem, version } from 'node:os';
import type { HostConditions } from '../../shared/host/conditions';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform, ToolVersionCommand } from '../platforms/platform';
import { collectHostConditions } from '../host/hostConditions';

/** How long a `tool --version` may take before it is reported as not answering. */
const TOOL_VERSION_TIMEOUT_MS = 5000;
const MiB = 1024 * 1024;
/** The compiler the benchmark binaries and the library OS are built with (scripts/build-bench.sh). */
export const BUILD_TOOLS: readonly ToolVersionCommand[] = [
  { name: 'cc', argv: ['cc', '--version'] },
];

/**
 * The programs whose versions a run records: what each platform and benchmark declares it
 * runs (Platform.tools, BenchmarkRunner.tools), then the build tools; the first declaration of
 * a name wins (both QEMU platforms and the unikernel run the same qemu).
 */
export function declaredTools(
  platforms: readonly Pick<Platform, 'tools'>[],
  runners: readonly Pick<BenchmarkRunner, 'tools'>[],
): ToolVersionCommand[] {
  const out = new Map<string, ToolVersionCommand>();
  for (const t of [...platforms, ...runners].flatMap((x) => x.tools ?? []).concat(BUILD_TOOLS))
    if (!out.has(t.name)) out.set(t.name, t);
  return [...out.values()];
}

export interface EnvironmentInfo {
  collectedAt: string;
  hostname: string;
  cpuModel: string;
  cores: number;
  kernel: string;
  kernelVersion: string;
  memoryMiB: number;
  freeMemoryMiB: number;
  loadAverage: number[];
  governor: string;
  node: string;
  tools: Record<string, string>;
  /** Whether this host itself runs under a hypervisor (the `hypervisor` CPU flag). */
  hostVirtualized: boolean;
  cpuFacts: CpuFacts;
  /**
   * The host's conditions before the run (governor, boost, ASLR, isolated CPUs, load, memory
   * available, virtualization), each "unknown" where it cannot be read.
   */
  host: HostConditions;
  kvm: {
    devicePresent: boolean;
    deviceUsable: boolean;
    moduleLoaded: boolean;
    cpuFlag: string | null;
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** `file args...` → first line of its output, or a "not found"/"failed" note. Never throws. */
export function toolVersion(file: string, args: string[]): Promise<string> {
  return new Promise((resolveVersion) => {
    execFile(file, args, { timeout: TOOL_VERSION_TIMEOUT_MS }, (error, stdout, stderr) => {
      const out = firstLine(String(stdout)) || firstLine(String(stderr));
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
        resolveVersion('not installed');
      else if (out) resolveVersion(out);
      else resolveVersion(`no answer (${error ? error.message : 'empty output'})`);
    });
  });
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function cpuFlags(): string {
  const info = readOr('/proc/cpuinfo', '');
  return info.split('\n').find((l) => l.startsWith('flags')) ?? '';
}

function cpuVirtFlag(): string | null {
  const flags = cpuFlags();
  if (/\bvmx\b/.test(flags)) return 'vmx';
  if (/\bsvm\b/.test(flags)) return 'svm';
  return null;
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The host's facts; `tools` (declaredTools) are the programs whose versions it records. */
export async function collectEnvironment(
  tools: readonly ToolVersionCommand[] = BUILD_TOOLS,
): Promise<EnvironmentInfo> {
  const cpuList = cpus();
  const versions = await Promise.all(
    tools.map(async (t) => [t.name, await toolVersion(t.argv[0], t.argv.slice(1))] as const),
  );
  return {
    collectedAt: new Date().toISOString(),
    hostname: hostname(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    kernel: release(),
    kernelVersion: version(),
    memoryMiB: Math.round(totalmem() / MiB),
    freeMemoryMiB: Math.round(freemem() / MiB),
    loadAverage: loadavg(),
    governor: readOr(
      '/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor',
      'unknown (no cpufreq in this kernel/VM)',
    ),
    node: process.version,
    tools: Object.fromEntries(versions),
    hostVirtualized: /\bhypervisor\b/.test(cpuFlags()),
    // Clocksource, CPU vendor/model and vulnerability mitigations (host/cpuFacts.ts).
    cpuFacts: await readHostCpuFacts(),
    host: collectHostConditions(),
    kvm: {
      devicePresent: existsSync('/dev/kvm'),
      deviceUsable: kvmUsable(),
      moduleLoaded: existsSync('/sys/module/kvm'),
      cpuFlag: cpuVirtFlag(),
    },
  };
}
