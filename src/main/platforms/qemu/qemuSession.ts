/**
 * A booted Benchvisor guest as a PlatformSession: benchmark binaries run
 * through the agent, nginx is started in the guest and fetched through
 * hostfwd, meta comes from QMP (truth, not intention).
 */
import { rm } from 'node:fs/promises';
import type { ExperimentConfig } from '../../../shared/config';
import type { AgentRunResult } from '../../guest/agentClient';
import { GUEST_DISK_DEVICE } from '../../guest/disk';
import type { GuestVm } from '../../guest/guestVm';
import type { Accel } from '../../guest/qemuArgs';
import type {
  ExecRequest,
  ExecResult,
  NginxHandle,
  NginxRequest,
  PlatformSession,
  PrepareContext,
} from '../platform';
import {
  GUEST_NGINX_CONFIG_PATH,
  guestNginxConfig,
  guestNginxStartScript,
  guestNginxStopScript,
  servedUrl,
  waitForHttp,
} from './guestNginx';

/** Small agent chores (writing the nginx config, starting/stopping nginx). */
const AGENT_CHORE_TIMEOUT_MS = 60_000;
/** nginx must answer through hostfwd within this time after it was started. */
const NGINX_READY_TIMEOUT_MS = 60_000;

export interface QemuSessionInit {
  accel: Accel;
  vm: GuestVm;
  ctx: PrepareContext;
  guest: ExperimentConfig['guest'];
  nginxHostPort: number;
  /** Facts known at boot (kernel, boot time...). */
  bootFacts: Record<string, unknown>;
  /** Temporary folder (sockets, disk image) removed on dispose. */
  workDir: string;
  kvm: { enabled: boolean; present: boolean };
  qemuVersion: string;
}

export class QemuSession implements PlatformSession {
  readonly diskTarget = GUEST_DISK_DEVICE;
  private disposed = false;
  private nginxRunning = false;

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
    this.s.ctx.console.data(
      `\r\n# benchvisor (${this.label()}): ${[req.binary, ...req.args].join(' ')}\r\n`,
    );
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

  async startNginx(req: NginxRequest): Promise<NginxHandle> {
    const broken = this.guestFailure();
    if (broken) throw new Error(broken);
    if (this.nginxRunning) await this.stopNginx();
    const put = await this.s.vm.agent!.put(
      GUEST_NGINX_CONFIG_PATH,
      guestNginxConfig(),
      AGENT_CHORE_TIMEOUT_MS,
    );
    if (put.failure || put.exitCode !== 0)
      throw new Error(
        `writing the nginx config in the guest failed: ${put.failure?.message ?? `exit ${put.exitCode}`}`,
      );
    this.nginxRunning = true;
    await this.chore(
      'starting nginx',
      ['/bin/sh', '-c', guestNginxStartScript(req.fileSize)],
      req.signal,
    );
    const url = servedUrl(this.s.nginxHostPort);
    const combined = req.signal
      ? AbortSignal.any([req.signal, this.s.ctx.signal])
      : this.s.ctx.signal;
    try {
      await waitForHttp(url, req.fileSize, NGINX_READY_TIMEOUT_MS, combined);
    } catch (e) {
      await this.stopNginx().catch(() => undefined);
      throw e;
    }
    this.s.ctx.console.data(
      `\r\n# benchvisor (${this.label()}): nginx serving ${req.fileSize} bytes at ${url}\r\n`,
    );
    return { url, stop: () => this.stopNginx() };
  }

  private async stopNginx(): Promise<void> {
    if (!this.nginxRunning) return;
    this.nginxRunning = false;
    if (this.guestFailure()) return;
    await this.chore('stopping nginx', ['/bin/sh', '-c', guestNginxStopScript()]);
  }

  write(data: string): boolean {
    return this.s.vm.write(data);
  }

  async meta(): Promise<Record<string, unknown>> {
    let kvm = this.s.kvm;
    if (!this.s.vm.exit && this.s.vm.qmp) {
      try {
        kvm = await this.s.vm.qmp.queryKvm();
      } catch {
        /* keep the answer from boot time */
      }
    }
    const g = this.s.guest;
    return {
      accel: this.s.accel,
      kvmEnabled: kvm.enabled,
      kvmPresent: kvm.present,
      vcpus: g.vcpus,
      memoryMiB: g.memoryMiB,
      diskFormat: g.diskFormat,
      diskSizeMiB: g.diskSizeMiB,
      cacheMode: g.cacheMode,
      preallocation: g.preallocation,
      qemuVersion: this.s.qemuVersion,
      ...this.s.bootFacts,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.s.vm.dispose();
    await rm(this.s.workDir, { recursive: true, force: true });
  }
}
