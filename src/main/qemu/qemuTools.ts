/**
 * The QEMU tools a VM-like platform runs (qemu-system-x86_64, qemu-img) and the
 * accelerator truth every such platform keeps: the tools' probe, the KVM
 * preflight before anything starts (its trial process tracked like any other),
 * and the rule that a KVM platform whose QMP query-kvm says "not enabled" is
 * never counted as KVM. Shared by the qemu and unikernel platforms.
 */
import type { Availability } from '../../shared/platforms';
import { AppFailure } from '../../shared/result';
import type { ProcessTracker } from '../process/tracker';
import type { ToolVersionCommand } from '../session/types';
import { ExecFileCommands, type HostCommands } from './commands';
import { defaultKvmProbeIO, kvmPreflight, type KvmProbeIO } from './kvmPreflight';
import type { Accel } from './qemuArgs';

export const DEFAULT_QEMU_BINARY = 'qemu-system-x86_64';
export const DEFAULT_QEMU_IMG = 'qemu-img';

/** What a platform's deps may override (tests inject fakes, users other binaries). */
export interface QemuToolOptions {
  tracker: ProcessTracker;
  commands?: HostCommands;
  qemuBinary?: string;
  qemuImg?: string;
  kvmProbe?: KvmProbeIO;
}

export interface QemuTools {
  readonly tracker: ProcessTracker;
  readonly commands: HostCommands;
  readonly qemuBinary: string;
  readonly qemuImg: string;
  readonly kvmProbe: KvmProbeIO;
}

export function qemuTools(o: QemuToolOptions): QemuTools {
  const qemuBinary = o.qemuBinary ?? DEFAULT_QEMU_BINARY;
  return {
    tracker: o.tracker,
    commands: o.commands ?? new ExecFileCommands(o.tracker),
    qemuBinary,
    qemuImg: o.qemuImg ?? DEFAULT_QEMU_IMG,
    kvmProbe: o.kvmProbe ?? defaultKvmProbeIO({ qemuBinary, tracker: o.tracker }),
  };
}

/** The tools' version commands (environment.json `tools.qemu`, `tools.qemuImg`). */
export function qemuToolVersions(t: QemuTools): ToolVersionCommand[] {
  return [
    { name: 'qemu', argv: [t.qemuBinary, '--version'] },
    { name: 'qemuImg', argv: [t.qemuImg, '--version'] },
  ];
}

/** QEMU's version line (for the doctor), or why the tools cannot run here. */
export async function probeQemuTools(
  t: QemuTools,
): Promise<{ ok: true; versionLine: string } | { ok: false; availability: Availability }> {
  const version = await t.commands.run(t.qemuBinary, ['--version']);
  if (version.spawnError || version.code !== 0)
    return {
      ok: false,
      availability: {
        available: false,
        reason: `${t.qemuBinary} cannot be run (${version.spawnError ?? version.stderr.trim()})`,
        fix: 'install QEMU: sudo apt-get install qemu-system-x86 qemu-utils',
      },
    };
  const img = await t.commands.run(t.qemuImg, ['--version']);
  if (img.spawnError || img.code !== 0)
    return {
      ok: false,
      availability: {
        available: false,
        reason: `${t.qemuImg} cannot be run`,
        fix: 'install it: sudo apt-get install qemu-utils',
      },
    };
  return { ok: true, versionLine: version.stdout.split('\n')[0]?.trim() ?? '' };
}

/** QEMU's version number ("8.2.2"), or "unknown". */
export async function qemuVersionOf(t: QemuTools): Promise<string> {
  const version = await t.commands.run(t.qemuBinary, ['--version']);
  return /version (\S+)/.exec(version.stdout)?.[1] ?? 'unknown';
}

/**
 * The accelerator's part of a probe: under KVM the preflight's verdict (with its details
 * added to `details`); TCG needs nothing more than QEMU itself.
 */
export async function probeAccelerator(
  t: QemuTools,
  accel: Accel,
  details: Record<string, string>,
): Promise<Availability | null> {
  if (accel !== 'kvm') return null;
  const kvm = await kvmPreflight(t.kvmProbe);
  if (!kvm.available) return { ...kvm, details: { ...details, ...kvm.details } };
  Object.assign(details, kvm.details);
  return null;
}

/** Before a KVM platform prepares anything: UNAVAILABLE with the reason and fix when KVM cannot run. */
export async function requireAccelerator(t: QemuTools, accel: Accel): Promise<void> {
  if (accel !== 'kvm') return;
  const kvm = await kvmPreflight(t.kvmProbe);
  if (!kvm.available)
    throw new AppFailure('UNAVAILABLE', `${kvm.reason}${kvm.fix ? `. Fix: ${kvm.fix}` : ''}`);
}

/**
 * Why a boot's QMP query-kvm answer does not match its platform (null when it does): a KVM
 * platform whose QEMU says KVM is not enabled would be TCG under a KVM name.
 */
export function acceleratorMismatch(
  accel: Accel,
  kvm: { enabled: boolean } | null | undefined,
): string | null {
  if (accel !== 'kvm' || kvm?.enabled === true) return null;
  return 'QMP query-kvm says KVM is not enabled; refusing to run it as TCG';
}
