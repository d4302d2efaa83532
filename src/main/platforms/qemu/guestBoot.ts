/**
 * Booting one QEMU guest for a target: its command line (also shown by the review step), the
 * start up to the agent's READY, the check that the accelerator asked for is the one in use
 * (QMP query-kvm: never a silent fallback to TCG), and the guest's CPU facts read once per boot.
 * Every failure after QEMU started stops the guest before it goes up.
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../../shared/config';
import { AppFailure, errorText } from '../../../shared/result';
import { GUEST_CPU_FACTS_SCRIPT, parseCpuFactsLines } from '../../host/cpuFacts';
import { GuestVm } from '../../qemu/guestVm';
import { parseKvmInitFailure } from '../../qemu/kvmFailure';
import { buildQemuArgs, type Accel, type QemuLaunchSpec } from '../../qemu/qemuArgs';
import { acceleratorMismatch, type QemuTools } from '../../qemu/qemuTools';
import type { TargetDisk } from '../../qemu/targetDisk';
import { freePort } from '../../util/freePort';
import type { PrepareContext } from '../platform';
import { GUEST_SERVICE_PORT } from './guestService';

/** Boot until the agent says READY: seconds under TCG, allow slow machines plenty. */
const BOOT_TIMEOUT_MS = { tcg: 180_000, kvm: 60_000 } as const;
/** Reading the guest's CPU facts (a few cat/sed calls) through the agent. */
const GUEST_FACTS_TIMEOUT_MS = 30_000;

/** Which guest is booted: the platform and its accelerator, with the QEMU tools. */
export interface GuestBootOf {
  platformId: string;
  accel: Accel;
  qemu: QemuTools;
}

/** The files a guest boots with (placeholders in the review step). */
export interface GuestFiles {
  kernel: string;
  initrd: string;
  workDir: string;
  diskPath: string;
  hostPort: number;
}

/** QEMU's launch spec of a guest with the experiment's shape. */
export function guestLaunchSpec(
  of: GuestBootOf,
  config: ExperimentConfig,
  files: GuestFiles,
): QemuLaunchSpec {
  const g = config.guest;
  return {
    name: `benchvisor-${of.platformId}`,
    accel: of.accel,
    vcpus: g.vcpus,
    memoryMiB: g.memoryMiB,
    kernel: files.kernel,
    initrd: files.initrd,
    qmpSocket: join(files.workDir, 'qmp.sock'),
    agentSocket: join(files.workDir, 'agent.sock'),
    disk: { path: files.diskPath, format: g.diskFormat, cacheMode: g.cacheMode },
    forwards: [{ hostPort: files.hostPort, guestPort: GUEST_SERVICE_PORT }],
  };
}

/** A guest that did not boot: a KVM start-up failure becomes UNAVAILABLE with its fix. */
function bootFailure(of: GuestBootOf, e: unknown): AppFailure {
  const message = errorText(e);
  const kvm = of.accel === 'kvm' ? parseKvmInitFailure(message) : null;
  if (kvm) return new AppFailure('UNAVAILABLE', `${of.platformId}: ${kvm.reason}. Fix: ${kvm.fix}`);
  return new AppFailure('GUEST_FAILED', `${of.platformId}: the guest did not boot: ${message}`);
}

/** Starts QEMU on the target's disk and waits for the agent (a cancel stays a cancel). */
export async function bootGuest(
  of: GuestBootOf,
  ctx: PrepareContext,
  disk: TargetDisk,
  images: { kernel: { vmlinuz: string }; initrd: { path: string } },
): Promise<{ vm: GuestVm; hostPort: number }> {
  const hostPort = await freePort('127.0.0.1');
  const spec = guestLaunchSpec(of, ctx.config, {
    kernel: images.kernel.vmlinuz,
    initrd: images.initrd.path,
    workDir: disk.workDir,
    diskPath: disk.diskPath,
    hostPort,
  });
  ctx.log('info', `${of.platformId}: ${[of.qemu.qemuBinary, ...buildQemuArgs(spec)].join(' ')}`);
  const vm = await GuestVm.start({
    qemuBinary: of.qemu.qemuBinary,
    spec,
    tracker: of.qemu.tracker,
    label: `${of.platformId} guest`,
    onConsole: (d) => ctx.console.data(d),
    readyWhen: 'agent',
    bootTimeoutMs: BOOT_TIMEOUT_MS[of.accel],
    signal: ctx.signal,
    cwd: disk.workDir,
  }).catch((e: unknown) => {
    // A cancelled boot is a cancel, whichever step (QMP, agent, READY) it interrupted.
    if (ctx.signal.aborted)
      throw new AppFailure('CANCELLED', `${of.platformId}: cancelled while the guest booted`);
    throw bootFailure(of, e);
  });
  return { vm, hostPort };
}

/** QMP query-kvm on the running guest; it is stopped before any failure goes up. */
export async function acceleratorInUse(
  of: GuestBootOf,
  vm: GuestVm,
): Promise<{ enabled: boolean; present: boolean }> {
  let kvm: { enabled: boolean; present: boolean };
  try {
    kvm = await vm.qmp!.queryKvm();
  } catch (e) {
    await vm.dispose();
    throw new AppFailure(
      'GUEST_FAILED',
      `${of.platformId}: QMP query-kvm failed, so whether KVM is in use is unknown: ${errorText(e)}`,
    );
  }
  const mismatch = acceleratorMismatch(of.accel, kvm);
  if (mismatch) {
    await vm.dispose();
    throw new AppFailure('UNAVAILABLE', `${of.platformId}: QEMU started but ${mismatch}`);
  }
  return kvm;
}

/**
 * The guest kernel's clocksource, CPU vendor/model and vulnerability mitigations, read once
 * per boot through the agent (they do not change while it runs). On failure: logged, and
 * the keys say unknown.
 */
export async function guestCpuFacts(
  of: GuestBootOf,
  vm: GuestVm,
  ctx: PrepareContext,
): Promise<SampleMetaFields> {
  let stdout = '';
  const cannot = (why: string) =>
    ctx.log('warn', `${of.platformId}: could not read the guest's CPU facts (${why})`);
  try {
    const r = await vm.agent!.run(['/bin/sh', '-c', GUEST_CPU_FACTS_SCRIPT], {
      timeoutMs: GUEST_FACTS_TIMEOUT_MS,
      signal: ctx.signal,
    });
    stdout = r.stdout;
    if (r.failure || r.exitCode !== 0) cannot(r.failure?.message ?? `exit ${r.exitCode}`);
  } catch (e) {
    cannot(errorText(e));
  }
  return { ...parseCpuFactsLines(stdout), cpuFactsFrom: 'guest at boot' };
}
