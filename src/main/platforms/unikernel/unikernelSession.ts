/**
 * A prepared unikernel platform: a benchmark disk and a scratch folder. Every
 * exec is a fresh boot of the benchmark's image (bootUnikernel); the sample
 * gets that boot's own facts: boot-to-main time and QMP query-kvm.
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../../shared/config';
import type { Accel } from '../../qemu/qemuArgs';
import { acceleratorMismatch } from '../../qemu/qemuTools';
import { diskShapeMeta, removeTargetDisk } from '../../qemu/targetDisk';
import type { ProcessTracker } from '../../process/tracker';
import type { PrepareContext } from '../platform';
import type { ServiceHandle } from '../../session/service';
import type { ExecRequest, ExecResult, PlatformSession } from '../../session/types';
import { bootUnikernel, type UnikernelBootResult } from './unikernelBoot';
import { UNIKERNEL_DISK_PATH } from './unikernelArgs';
import { commandHeader } from '../commandHeader';

export interface UnikernelSessionInit {
  id: string;
  accel: Accel;
  ctx: PrepareContext;
  guest: ExperimentConfig['guest'];
  qemuBinary: string;
  imageDir: string;
  tracker: ProcessTracker;
  /** Scratch folder (sockets, console logs), removed on dispose. */
  workDir: string;
  /** The benchmark disk's folder in the run's scratch area, removed on dispose. */
  diskDir: string;
  diskPath: string;
  /** Where the disk image lives on the host (path, filesystem, in RAM or not). */
  diskHost: SampleMetaFields;
  qemuVersion: string;
}

/** Turns one boot into what the benchmark runner expects. */
export function execResultOf(id: string, accel: Accel, r: UnikernelBootResult): ExecResult {
  const meta: SampleMetaFields = {
    bootToMainMs: r.bootToMainMs === null ? null : Math.round(r.bootToMainMs),
    guestBootMs: r.facts.guestBootMs ?? null,
    kvmEnabled: r.kvm?.enabled ?? null,
  };
  if (r.facts.unsupportedSyscalls.length > 0)
    meta.unsupportedSyscalls = r.facts.unsupportedSyscalls;
  const base = { stdout: r.console, durationMs: r.durationMs, meta };
  if (r.failure)
    return {
      ...base,
      exitCode: null,
      failure: { code: r.failure.code, message: `${id}: ${r.failure.message}` },
    };
  const mismatch = acceleratorMismatch(accel, r.kvm);
  if (mismatch)
    return {
      ...base,
      exitCode: null,
      failure: { code: 'GUEST_FAILED', message: `${id}: ${mismatch}` },
    };
  switch (r.outcome.kind) {
    case 'exited':
      return { ...base, exitCode: r.outcome.exitCode };
    case 'crashed':
      return {
        ...base,
        exitCode: null,
        failure: { code: 'CRASHED', message: `${id}: the program crashed: ${r.outcome.message}` },
      };
    case 'kernel-error':
      return {
        ...base,
        exitCode: null,
        failure: {
          code: 'GUEST_FAILED',
          message: `${id}: the library OS stopped: ${r.outcome.message}`,
        },
      };
    case 'qemu-failed': {
      const tail = r.console.trim().split(/\r?\n/).slice(-5).join(' | ');
      return {
        ...base,
        exitCode: null,
        failure: {
          code: 'GUEST_FAILED',
          message: `${id}: ${r.outcome.message}${tail ? `; console: ${tail}` : ''}`,
        },
      };
    }
  }
}

export class UnikernelSession implements PlatformSession {
  readonly diskTarget = UNIKERNEL_DISK_PATH;
  private disposed = false;
  private lastKvm: { enabled: boolean; present: boolean } | null = null;
  private readonly running = new Set<AbortController>();

  constructor(private readonly s: UnikernelSessionInit) {}

  async exec(req: ExecRequest): Promise<ExecResult> {
    const { s } = this;
    if (this.disposed)
      return {
        exitCode: null,
        stdout: '',
        durationMs: 0,
        failure: { code: 'GUEST_FAILED', message: `${s.id}: the session was disposed` },
      };
    const image = join(s.imageDir, `${req.binary}.img`);
    s.ctx.console.data(commandHeader(s.id, ['boot', `${req.binary}.img`, '--', ...req.args]));
    const stop = new AbortController();
    this.running.add(stop);
    const signals = [s.ctx.signal, stop.signal, ...(req.signal ? [req.signal] : [])];
    try {
      const r = await bootUnikernel({
        qemuBinary: s.qemuBinary,
        spec: {
          name: `benchvisor-${s.id}`,
          accel: s.accel,
          memoryMiB: s.guest.memoryMiB,
          image,
          args: req.args,
          disk: { path: s.diskPath, format: s.guest.diskFormat, cacheMode: s.guest.cacheMode },
        },
        workDir: s.workDir,
        tracker: s.tracker,
        label: `${s.id} boot of ${req.binary}`,
        onConsole: (d) => s.ctx.console.data(d),
        timeoutMs: req.timeoutMs,
        signal: AbortSignal.any(signals),
      });
      if (r.kvm) this.lastKvm = r.kvm;
      return execResultOf(s.id, s.accel, r);
    } finally {
      this.running.delete(stop);
    }
  }

  startService(): Promise<ServiceHandle> {
    return Promise.reject(
      new Error(`${this.s.id}: the library OS has no network stack, so it cannot serve`),
    );
  }

  /** The console is output only: the program reads no input (stdin is at end of file). */
  write(): boolean {
    return false;
  }

  meta(): Promise<SampleMetaFields> {
    const g = this.s.guest;
    return Promise.resolve({
      accel: this.s.accel,
      // Per run, QMP query-kvm of that boot overrides this (ExecResult.meta).
      kvmEnabled: this.lastKvm?.enabled ?? null,
      vcpus: 1,
      memoryMiB: g.memoryMiB,
      ...diskShapeMeta(g),
      qemuVersion: this.s.qemuVersion,
      memoryMapping: 'identity-mapped at boot (2 MiB pages), no page faults',
      ...this.s.diskHost,
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.running) c.abort();
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
    await removeTargetDisk(this.s);
  }
}
