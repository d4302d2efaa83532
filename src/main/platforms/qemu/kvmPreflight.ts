/**
 * Can this machine run a QEMU guest with KVM? Four checks, each with the
 * reason it failed and what to do about it. Used by the qemu-kvm platform's
 * probe (doctor, wizard). Reads go through an injectable interface so every
 * failure path is unit-tested.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import type { Availability } from '../../../shared/platforms';

export type KvmCheckId = 'cpu-virtualization' | 'kvm-module' | 'dev-kvm' | 'qemu-accel';

export interface KvmCheck {
  id: KvmCheckId;
  ok: boolean;
  /** What was found (ok or not). */
  detail: string;
  fix?: string;
}

export interface KvmProbeIO {
  cpuinfo(): Promise<string | null>;
  moduleLoaded(): Promise<boolean>;
  /** null when /dev/kvm is usable; else why not ("missing", "permission denied"). */
  devKvmProblem(): Promise<'missing' | 'not-rw' | null>;
  /** `qemu-system-x86_64 -accel help` output, or null when QEMU could not run. */
  qemuAccelHelp(): Promise<string | null>;
}

export const DEV_KVM = '/dev/kvm';

export function defaultKvmProbeIO(qemuBinary = 'qemu-system-x86_64'): KvmProbeIO {
  return {
    cpuinfo: () => readFile('/proc/cpuinfo', 'utf8').catch(() => null),
    moduleLoaded: () =>
      stat('/sys/module/kvm').then(
        (s) => s.isDirectory(),
        () => false,
      ),
    devKvmProblem: async () => {
      try {
        await stat(DEV_KVM);
      } catch {
        return 'missing';
      }
      try {
        await access(DEV_KVM, constants.R_OK | constants.W_OK);
        return null;
      } catch {
        return 'not-rw';
      }
    },
    qemuAccelHelp: () =>
      new Promise((resolve) => {
        execFile(qemuBinary, ['-accel', 'help'], { timeout: 10_000 }, (error, stdout) =>
          resolve(error ? null : stdout),
        );
      }),
  };
}

/** Which hardware virtualization flag the CPU advertises, if any. */
export function cpuVirtualizationFlag(cpuinfo: string): 'vmx' | 'svm' | null {
  for (const line of cpuinfo.split('\n')) {
    if (!/^flags\s*:/.test(line)) continue;
    const flags = new Set(line.split(':')[1]?.trim().split(/\s+/) ?? []);
    if (flags.has('vmx')) return 'vmx';
    if (flags.has('svm')) return 'svm';
  }
  return null;
}

export async function runKvmChecks(io: KvmProbeIO): Promise<KvmCheck[]> {
  const [cpuinfo, module, dev, accel] = await Promise.all([
    io.cpuinfo(),
    io.moduleLoaded(),
    io.devKvmProblem(),
    io.qemuAccelHelp(),
  ]);
  const checks: KvmCheck[] = [];
  const flag = cpuinfo === null ? null : cpuVirtualizationFlag(cpuinfo);
  checks.push(
    flag
      ? {
          id: 'cpu-virtualization',
          ok: true,
          detail: `the CPU advertises ${flag === 'vmx' ? 'Intel VT-x (vmx)' : 'AMD-V (svm)'}`,
        }
      : {
          id: 'cpu-virtualization',
          ok: false,
          detail:
            cpuinfo === null
              ? '/proc/cpuinfo is not readable'
              : 'the CPU flags in /proc/cpuinfo show neither vmx (Intel VT-x) nor svm (AMD-V)',
          fix: 'enable virtualization (VT-x/AMD-V) in the firmware setup, or on a virtual machine enable nested virtualization for it',
        },
  );
  checks.push(
    module
      ? { id: 'kvm-module', ok: true, detail: 'the kvm kernel module is loaded (/sys/module/kvm)' }
      : {
          id: 'kvm-module',
          ok: false,
          detail: 'the kvm kernel module is not loaded (/sys/module/kvm is missing)',
          fix: 'load it: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD)',
        },
  );
  checks.push(
    dev === null
      ? { id: 'dev-kvm', ok: true, detail: `${DEV_KVM} exists and is readable and writable` }
      : dev === 'missing'
        ? {
            id: 'dev-kvm',
            ok: false,
            detail: `${DEV_KVM} does not exist`,
            fix: 'load the kvm module for your CPU (sudo modprobe kvm_intel or kvm_amd); in a container, pass the device in (--device /dev/kvm)',
          }
        : {
            id: 'dev-kvm',
            ok: false,
            detail: `${DEV_KVM} exists but is not readable and writable for this user`,
            fix: 'add yourself to the kvm group (sudo usermod -aG kvm $USER) and log in again',
          },
  );
  const accelList = accel?.split('\n').map((l) => l.trim()) ?? [];
  checks.push(
    accel === null
      ? {
          id: 'qemu-accel',
          ok: false,
          detail: 'qemu-system-x86_64 could not be run',
          fix: 'install QEMU: sudo apt-get install qemu-system-x86',
        }
      : accelList.includes('kvm')
        ? { id: 'qemu-accel', ok: true, detail: 'QEMU lists kvm among its accelerators' }
        : {
            id: 'qemu-accel',
            ok: false,
            detail: 'this QEMU build does not list kvm in `-accel help`',
            fix: 'install a QEMU build with KVM support (Debian: qemu-system-x86)',
          },
  );
  return checks;
}

/** Folds the checks into an Availability: the first failure gives reason and fix. */
export function kvmAvailability(checks: readonly KvmCheck[]): Availability {
  const details = Object.fromEntries(
    checks.map((c) => [c.id, `${c.ok ? 'ok' : 'FAILED'}: ${c.detail}`]),
  );
  const failed = checks.filter((c) => !c.ok);
  const first = failed[0];
  if (!first) return { available: true, details };
  const reason =
    failed.length === 1
      ? `KVM is unavailable: ${first.detail}`
      : `KVM is unavailable: ${failed.map((c) => c.detail).join('; ')}`;
  return first.fix
    ? { available: false, reason, fix: first.fix, details }
    : { available: false, reason, details };
}

export async function kvmPreflight(io: KvmProbeIO = defaultKvmProbeIO()): Promise<Availability> {
  return kvmAvailability(await runKvmChecks(io));
}
