/**
 * Can this machine run a QEMU guest with KVM? Static checks (CPU flag, the
 * kvm module and the vendor module for that flag, the device, QEMU's
 * accelerator list), each with the reason it failed and what to do about it,
 * then a trial (kvmTrial.ts): the device opened read-write and QEMU started
 * with `-accel kvm -M none`. Used by the qemu-kvm platform's probe (doctor,
 * wizard) and again by prepare. Reads go through an injectable interface (and
 * the default one takes its paths as options), so every failure path is tested.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Availability } from '../../shared/platforms';
import type { ProcessTracker } from '../process/tracker';
import { kvmTrial, type KvmTrialResult } from './kvmTrial';

export type KvmCheckId =
  | 'cpu-virtualization'
  | 'kvm-module'
  | 'kvm-vendor-module'
  | 'dev-kvm'
  | 'qemu-accel'
  | 'kvm-trial';

export interface KvmCheck {
  id: KvmCheckId;
  ok: boolean;
  /** What was found (ok or not). */
  detail: string;
  fix?: string;
}

export type DevKvmProblem = 'missing' | 'not-device' | 'not-rw';

export interface KvmProbeIO {
  cpuinfo(): Promise<string | null>;
  /** Is this kernel module loaded (kvm, kvm_intel, kvm_amd)? */
  moduleLoaded(name: string): Promise<boolean>;
  /** null when the device looks usable; else why not. */
  devKvmProblem(): Promise<DevKvmProblem | null>;
  /** `qemu-system-x86_64 -accel help` output, or null when QEMU could not run. */
  qemuAccelHelp(): Promise<string | null>;
  /** Open the device read-write and start QEMU with -accel kvm -M none (run last, only when the rest passed). */
  trial(): Promise<KvmTrialResult>;
}

export const DEV_KVM = '/dev/kvm';

/** Where the default probe looks (tests point these at files of their own). */
export interface KvmProbePaths {
  qemuBinary: string;
  device: string;
  /** /sys/module: a loaded module is a folder named after it. */
  sysModuleDir: string;
  cpuinfo: string;
  tracker?: ProcessTracker;
}

const DEFAULT_PROBE_PATHS: KvmProbePaths = {
  qemuBinary: 'qemu-system-x86_64',
  device: DEV_KVM,
  sysModuleDir: '/sys/module',
  cpuinfo: '/proc/cpuinfo',
};

export function defaultKvmProbeIO(options: string | Partial<KvmProbePaths> = {}): KvmProbeIO {
  const p: KvmProbePaths = {
    ...DEFAULT_PROBE_PATHS,
    ...(typeof options === 'string' ? { qemuBinary: options } : options),
  };
  return {
    cpuinfo: () => readFile(p.cpuinfo, 'utf8').catch(() => null),
    moduleLoaded: (name) =>
      stat(join(p.sysModuleDir, name)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    devKvmProblem: async () => {
      let st;
      try {
        st = await stat(p.device);
      } catch {
        return 'missing';
      }
      if (!st.isCharacterDevice()) return 'not-device';
      try {
        await access(p.device, constants.R_OK | constants.W_OK);
        return null;
      } catch {
        return 'not-rw';
      }
    },
    qemuAccelHelp: () =>
      new Promise((resolve) => {
        execFile(p.qemuBinary, ['-accel', 'help'], { timeout: 10_000 }, (error, stdout) =>
          resolve(error ? null : stdout),
        );
      }),
    trial: () =>
      kvmTrial({
        qemuBinary: p.qemuBinary,
        device: p.device,
        ...(p.tracker ? { tracker: p.tracker } : {}),
      }),
  };
}

/** The vendor module that goes with the CPU's virtualization flag. */
export const VENDOR_MODULE = { vmx: 'kvm_intel', svm: 'kvm_amd' } as const;

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

/** The CPU's virtualization flag. */
function cpuCheck(cpuinfo: string | null, flag: 'vmx' | 'svm' | null): KvmCheck {
  if (flag)
    return {
      id: 'cpu-virtualization',
      ok: true,
      detail: `the CPU advertises ${flag === 'vmx' ? 'Intel VT-x (vmx)' : 'AMD-V (svm)'}`,
    };
  return {
    id: 'cpu-virtualization',
    ok: false,
    detail:
      cpuinfo === null
        ? '/proc/cpuinfo is not readable'
        : 'the CPU flags in /proc/cpuinfo show neither vmx (Intel VT-x) nor svm (AMD-V)',
    fix: 'enable virtualization (VT-x/AMD-V) in the firmware setup, or on a virtual machine enable nested virtualization for it',
  };
}

/** The kvm module, and the vendor module for the CPU's flag when it has one. */
function moduleChecks(
  kvmLoaded: boolean,
  flag: 'vmx' | 'svm' | null,
  vendorLoaded: boolean,
): KvmCheck[] {
  const checks: KvmCheck[] = [
    kvmLoaded
      ? { id: 'kvm-module', ok: true, detail: 'the kvm kernel module is loaded (/sys/module/kvm)' }
      : {
          id: 'kvm-module',
          ok: false,
          detail: 'the kvm kernel module is not loaded (/sys/module/kvm is missing)',
          fix: 'load it: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD)',
        },
  ];
  const vendorModule = flag ? VENDOR_MODULE[flag] : null;
  if (vendorModule)
    checks.push(
      vendorLoaded
        ? {
            id: 'kvm-vendor-module',
            ok: true,
            detail: `the ${vendorModule} module for this CPU's ${flag} flag is loaded`,
          }
        : {
            id: 'kvm-vendor-module',
            ok: false,
            detail: `the CPU advertises ${flag} but the ${vendorModule} module is not loaded (kvm alone cannot run guests)`,
            fix: `load it: sudo modprobe ${vendorModule} (if it refuses, virtualization may be disabled in the firmware: dmesg | grep -i kvm)`,
          },
    );
  return checks;
}

/** /dev/kvm: a character device this user may read and write. */
function deviceCheck(dev: Awaited<ReturnType<KvmProbeIO['devKvmProblem']>>): KvmCheck {
  if (dev === null)
    return { id: 'dev-kvm', ok: true, detail: `${DEV_KVM} exists and is readable and writable` };
  if (dev === 'not-device')
    return {
      id: 'dev-kvm',
      ok: false,
      detail: `${DEV_KVM} exists but is not a character device`,
      fix: 'remove the stray file and load the KVM modules (sudo modprobe kvm_intel or kvm_amd) so the kernel creates the device',
    };
  if (dev === 'missing')
    return {
      id: 'dev-kvm',
      ok: false,
      detail: `${DEV_KVM} does not exist`,
      fix: 'load the kvm module for your CPU (sudo modprobe kvm_intel or kvm_amd); in a container, pass the device in (--device /dev/kvm)',
    };
  return {
    id: 'dev-kvm',
    ok: false,
    detail: `${DEV_KVM} exists but is not readable and writable for this user`,
    fix: 'add yourself to the kvm group (sudo usermod -aG kvm $USER) and log in again',
  };
}

/** QEMU's accelerator list (`-accel help`; null: QEMU could not be run). */
function accelCheck(accel: string | null): KvmCheck {
  if (accel === null)
    return {
      id: 'qemu-accel',
      ok: false,
      detail: 'qemu-system-x86_64 could not be run',
      fix: 'install QEMU: sudo apt-get install qemu-system-x86',
    };
  if (accel.split('\n').some((l) => l.trim() === 'kvm'))
    return { id: 'qemu-accel', ok: true, detail: 'QEMU lists kvm among its accelerators' };
  return {
    id: 'qemu-accel',
    ok: false,
    detail: 'this QEMU build does not list kvm in `-accel help`',
    fix: 'install a QEMU build with KVM support (Debian: qemu-system-x86)',
  };
}

export async function runKvmChecks(io: KvmProbeIO): Promise<KvmCheck[]> {
  const cpuinfo = await io.cpuinfo();
  const flag = cpuinfo === null ? null : cpuVirtualizationFlag(cpuinfo);
  const vendorModule = flag ? VENDOR_MODULE[flag] : null;
  const [module, vendorLoaded, dev, accel] = await Promise.all([
    io.moduleLoaded('kvm'),
    vendorModule ? io.moduleLoaded(vendorModule) : Promise.resolve(false),
    io.devKvmProblem(),
    io.qemuAccelHelp(),
  ]);
  const checks: KvmCheck[] = [
    cpuCheck(cpuinfo, flag),
    ...moduleChecks(module, flag, vendorLoaded),
    deviceCheck(dev),
    accelCheck(accel),
  ];
  // The trial only when everything above passed: it would fail for the same reason.
  if (checks.every((c) => c.ok)) {
    const trial = await io.trial();
    checks.push(
      trial.ok
        ? { id: 'kvm-trial', ok: true, detail: trial.detail }
        : { id: 'kvm-trial', ok: false, detail: trial.failure.reason, fix: trial.failure.fix },
    );
  }
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
