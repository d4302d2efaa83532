/**
 * A booted Benchvisor guest as a PlatformSession: benchmark binaries run
 * through the agent, services are started in the guest and fetched through
 * hostfwd, meta comes from QMP (truth, not intention).
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import type { ExperimentConfig } from '../../../shared/config';
import type { AgentRunResult } from '../../qemu/agentClient';
import { GUEST_DISK_DEVICE } from '../../qemu/disk';
import type { GuestVm } from '../../qemu/guestVm';
import { DISK_DRIVE_ID, type Accel } from '../../qemu/qemuArgs';
import { readQmpGuestFacts, type QmpGuestFacts } from '../../qemu/qmpFacts';
import { diskShapeMeta, removeTargetDisk } from '../../qemu/targetDisk';
import { serviceUrl, type ServiceHandle, type ServiceSpec } from '../../session/service';
import type { ExecRequest, ExecResult, PlatformSession, PrepareContext } from '../platform';
import { guestPlace, guestStartScript, guestStopScript, waitForHttp } from './guestService';
import { commandHeader } from '../commandHeader';

/** Small agent chores (writing a service's files, starting/stopping it). */
const AGENT_CHORE_TIMEOUT_MS = 60_000;
/** A service must answer through hostfwd within this time after it was started. */
const SERVICE_READY_TIMEOUT_MS = 60_000;

export interface QemuSessionInit {
  accel: Accel;
  vm: GuestVm;
  ctx: PrepareContext;
  guest: ExperimentConfig['guest'];
  /** Host port forwarded (hostfwd on 127.0.0.1) to the guest's service port. */
  serviceHostPort: number;
  /** Facts known at boot (kernel, boot time...). */
  bootFacts: SampleMetaFields;
  /** Temporary folder (sockets, disk image) removed on dispose. */
  workDir: string;
  /** The benchmark disk's folder in the run's scratch area, removed on dispose. */
  diskDir: string;
  kvm: { enabled: boolean; present: boolean };
  qemuVersion: string;
}

export class QemuSession implements PlatformSession {
  readonly diskTarget = GUEST_DISK_DEVICE;
  private disposed = false;
  /** How to stop the service that runs now (one at a time: they share the forwarded port). */
  private runningStop: string | null = null;

  constructor(private readonly s: QemuSessionInit) {}

  private guestFailure(): string | null {
    const { vm } = this.s;
    if (this.disposed) return 'the guest session was disposed';
    if (vm.exit) return vm.describeExit();
    if (!vm.agent) return 'the guest has no agent connection';
    return vm.agent.broken;
  }

  private label(): string {
    return this.s.accel === 'kvm' ? 'qemu-kvm' : 'qemu-tcg';
  }

  private async agentRun(
    argv: string[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<AgentRunResult> {
    const broken = this.guestFailure();
    if (broken)
      return { exitCode: null, stdout: '', failure: { code: 'GUEST_FAILED', message: broken } };
    const combined = signal ? AbortSignal.any([signal, this.s.ctx.signal]) : this.s.ctx.signal;
    const r = await this.s.vm.agent!.run(argv, { timeoutMs, signal: combined });
    if (r.failure?.code === 'GUEST_FAILED' && this.s.vm.exit)
      r.failure.message = this.s.vm.describeExit();
    return r;
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    this.s.ctx.console.data(commandHeader(this.label(), [req.binary, ...req.args]));
    const started = performance.now();
    const r = await this.agentRun([req.binary, ...req.args], req.timeoutMs, req.signal);
    const result: ExecResult = {
      exitCode: r.exitCode,
      stdout: r.stdout,
      durationMs: performance.now() - started,
    };
    if (r.failure)
      result.failure = { code: r.failure.code, message: `${this.label()}: ${r.failure.message}` };
    return result;
  }

  private async chore(what: string, argv: string[], signal?: AbortSignal): Promise<void> {
    const r = await this.agentRun(argv, AGENT_CHORE_TIMEOUT_MS, signal);
    if (r.failure) throw new Error(`${what}: ${r.failure.message}`);
    if (r.exitCode !== 0)
      throw new Error(`${what} failed in the guest (exit ${r.exitCode}); see the guest console`);
  }

  async startService(spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle> {
    const broken = this.guestFailure();
    if (broken) throw new Error(broken);
    if (this.runningStop !== null) await this.stopService();
    const place = guestPlace(spec.name);
    const layout = spec.layout(place);
    for (const f of layout.files) {
      const put = await this.s.vm.agent!.put(
        `${place.prefix}/${f.path}`,
        f.content,
        AGENT_CHORE_TIMEOUT_MS,
      );
      if (put.failure || put.exitCode !== 0)
        throw new Error(
          `writing ${spec.name}'s ${f.path} in the guest failed: ${put.failure?.message ?? `exit ${put.exitCode}`}`,
        );
    }
    this.runningStop = guestStopScript(place, layout);
    await this.chore(
      `starting ${spec.name}`,
      ['/bin/sh', '-c', guestStartScript(spec.program.payloadPath, place, layout)],
      signal,
    );
    const url = serviceUrl('127.0.0.1', this.s.serviceHostPort, layout.urlPath);
    const combined = signal ? AbortSignal.any([signal, this.s.ctx.signal]) : this.s.ctx.signal;
    try {
      await waitForHttp(url, layout.readyBytes, SERVICE_READY_TIMEOUT_MS, combined, spec.name);
    } catch (e) {
      await this.stopService().catch(() => undefined);
      throw e;
    }
    this.s.ctx.console.data(
      `\r\n# benchvisor (${this.label()}): ${spec.name} serving at ${url}\r\n`,
    );
    return { url, stop: () => this.stopService() };
  }

  private async stopService(): Promise<void> {
    const script = this.runningStop;
    if (script === null) return;
    this.runningStop = null;
    if (this.guestFailure()) return;
    await this.chore('stopping the service', ['/bin/sh', '-c', script]);
  }

  write(data: string): boolean {
    return this.s.vm.write(data);
  }

  /**
   * Facts from QEMU at the time of asking (the runner asks after every repetition): query-kvm,
   * and the vCPUs, memory and disk cache flags QMP reports; the config's values only where a
   * query failed (then `kvmFrom` / `shapeFrom` say so).
   */
  async meta(): Promise<SampleMetaFields> {
    let kvm = this.s.kvm;
    let kvmFrom = 'query-kvm at boot';
    let q: QmpGuestFacts = {};
    const qmp = this.s.vm.qmp;
    if (!this.s.vm.exit && qmp) {
      try {
        kvm = await qmp.queryKvm();
        kvmFrom = 'query-kvm now';
      } catch {
        /* keep the answer from boot time, labelled so */
      }
      q = await readQmpGuestFacts(qmp, DISK_DRIVE_ID).catch(() => ({}));
    }
    const g = this.s.guest;
    return {
      accel: this.s.accel,
      kvmEnabled: kvm.enabled,
      kvmPresent: kvm.present,
      kvmFrom,
      vcpus: q.qmpVcpus ?? g.vcpus,
      memoryMiB: q.qmpMemoryMiB ?? g.memoryMiB,
      shapeFrom: q.qmpVcpus !== undefined && q.qmpMemoryMiB !== undefined ? 'qmp' : 'config',
      ...(q.qmpDiskCache ? { diskCache: q.qmpDiskCache } : {}),
      ...diskShapeMeta(g),
      qemuVersion: this.s.qemuVersion,
      ...this.s.bootFacts,
    };
  }

  /** QMP stop: the guest's vCPUs halt; its console, agent channel and QMP stay connected. */
  async pause(): Promise<void> {
    await this.qmpFor('pause').stop();
  }

  /** QMP cont. */
  async resume(): Promise<void> {
    await this.qmpFor('resume').cont();
  }

  /** QMP query-status now ("running", "paused", ...): what the run view shows per target. */
  async runState(): Promise<string> {
    return (await this.qmpFor('query the status').queryStatus()).status;
  }

  /** The QEMU process id (the pause bench reads its CPU time). */
  get pid(): number | undefined {
    return this.s.vm.pid;
  }

  /** QEMU is the target's one process on the host: its CPU is the run's. */
  processes(): readonly number[] {
    return this.pid === undefined ? [] : [this.pid];
  }

  private qmpFor(what: string): NonNullable<GuestVm['qmp']> {
    const broken = this.guestFailure();
    if (broken) throw new Error(`${this.label()}: cannot ${what}: ${broken}`);
    if (!this.s.vm.qmp) throw new Error(`${this.label()}: cannot ${what}: no QMP connection`);
    return this.s.vm.qmp;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.s.vm.dispose();
    await removeTargetDisk(this.s);
  }
}
