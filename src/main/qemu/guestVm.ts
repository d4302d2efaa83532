/**
 * One running QEMU guest: qemu-system-x86_64 in a pseudo-terminal (its serial
 * console is the pty, so typing reaches the guest shell), a QMP connection,
 * and the agent connection. Tracked in the ProcessTracker from spawn to exit.
 */
import type { ProcessTracker } from '../process/tracker';
import { AgentClient } from './agentClient';
import { QmpClient } from './qmp';
import { buildQemuArgs, type QemuLaunchSpec } from './qemuArgs';
import { spawnQemuPty, type QemuExit, type QemuPty } from './qemuPty';
import { settleWithin } from '../util/deadline';
/** Console bytes kept for error messages ("what did the guest say before it died"). */
const CONSOLE_TAIL_BYTES = 4096;
/** Connecting to QEMU's sockets: they exist within milliseconds of the start. */
const SOCKET_CONNECT_TIMEOUT_MS = 15_000;
/** How long QEMU gets to exit after QMP quit before SIGKILL. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
/** Terminal escape sequences (ESC [ ... letter), stripped from console text quoted in errors. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

export interface GuestVmOptions {
  qemuBinary: string;
  spec: QemuLaunchSpec;
  tracker: ProcessTracker;
  label: string;
  onConsole(data: string): void;
  /** Boot is complete when the agent says READY, or when this text appears on the console. */
  readyWhen: 'agent' | { consoleMarker: string };
  bootTimeoutMs: number;
  signal?: AbortSignal;
  cwd?: string;
}

export type VmExit = QemuExit;

export class GuestVm {
  readonly argv: string[];
  /** Milliseconds from spawn to ready. */
  bootMs = 0;
  exit: VmExit | null = null;
  readonly exited: Promise<VmExit>;
  qmp: QmpClient | null = null;
  agent: AgentClient | null = null;
  private consoleTail = '';
  private readonly qemu: QemuPty;
  private disposed = false;
  private markerWaiter: (() => void) | null = null;

  private constructor(private readonly opts: GuestVmOptions) {
    this.argv = buildQemuArgs(opts.spec);
    this.qemu = spawnQemuPty({
      qemuBinary: opts.qemuBinary,
      argv: this.argv,
      cwd: opts.cwd ?? process.cwd(),
      tracker: opts.tracker,
      label: opts.label,
    });
    this.qemu.term.onData((d) => {
      this.consoleTail = (this.consoleTail + d).slice(-CONSOLE_TAIL_BYTES);
      opts.onConsole(d);
      if (
        this.markerWaiter &&
        typeof opts.readyWhen === 'object' &&
        this.consoleTail.includes(opts.readyWhen.consoleMarker)
      ) {
        this.markerWaiter();
      }
    });
    this.exited = this.qemu.exited.then((exit) => {
      this.exit = exit;
      this.agent?.markBroken(this.describeExit());
      this.qmp?.close();
      return exit;
    });
  }

  get pid(): number {
    return this.qemu.pid;
  }

  /** The last console output, for error messages. */
  tail(lines = 15): string {
    return this.consoleTail.replace(ANSI_ESCAPE, '').split(/\r?\n/).slice(-lines).join('\n').trim();
  }

  describeExit(): string {
    if (!this.exit) return 'QEMU is still running';
    const how = this.exit.signal
      ? `was killed by signal ${this.exit.signal}`
      : `exited with code ${this.exit.exitCode}`;
    const tail = this.tail();
    return `QEMU ${how} (the guest stopped)${tail ? `; last console output:\n${tail}` : ''}`;
  }

  /** Starts QEMU and waits until the guest is ready; on failure everything is torn down. */
  static async start(opts: GuestVmOptions): Promise<GuestVm> {
    const vm = new GuestVm(opts);
    const started = performance.now();
    try {
      await vm.waitReady();
      vm.bootMs = performance.now() - started;
      return vm;
    } catch (e) {
      await vm.dispose(0);
      throw e;
    }
  }

  private async waitReady(): Promise<void> {
    const { opts } = this;
    const died = this.exited.then(() => {
      throw new Error(`QEMU stopped while the guest was booting: ${this.describeExit()}`);
    });
    died.catch(() => undefined);
    const connectQmp = QmpClient.connect(
      opts.spec.qmpSocket,
      SOCKET_CONNECT_TIMEOUT_MS,
      opts.signal,
    );
    this.qmp = await Promise.race([connectQmp, died]);
    if (opts.readyWhen === 'agent') {
      if (!opts.spec.agentSocket) throw new Error('readyWhen "agent" needs an agent socket');
      this.agent = await Promise.race([
        AgentClient.connect(opts.spec.agentSocket, SOCKET_CONNECT_TIMEOUT_MS, opts.signal),
        died,
      ]);
      await Promise.race([this.agent.waitReady(opts.bootTimeoutMs, opts.signal), died]);
      return;
    }
    const marker = opts.readyWhen.consoleMarker;
    const seen = new Promise<void>((resolve) => {
      this.markerWaiter = resolve;
      if (this.consoleTail.includes(marker)) resolve();
    });
    // settleWithin clears its timer whichever way the wait ends (a QEMU that died first too).
    const r = await settleWithin(Promise.race([died, seen]), opts.bootTimeoutMs);
    if (r === 'timeout') throw new Error(`"${marker}" did not appear on the console in time`);
  }

  /** Keyboard input for the serial console. */
  write(data: string): boolean {
    if (this.exit || this.disposed) return false;
    this.qemu.term.write(data);
    return true;
  }

  /** QMP quit, then SIGKILL after the grace period. Safe to call twice. */
  async dispose(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    if (this.disposed) {
      await this.exited;
      return;
    }
    this.disposed = true;
    this.agent?.close();
    if (!this.exit) {
      if (this.qmp && graceMs > 0) {
        // settleWithin clears its timer: a bare race's timer kept the process alive for the
        // whole grace after QEMU had quit (every `benchvisor run` with a guest exited 5 s late).
        await settleWithin(this.qmp.quit(), graceMs);
      }
      const killTimer = setTimeout(() => this.qemu.kill(), graceMs);
      await this.exited;
      clearTimeout(killTimer);
    }
    this.qmp?.close();
  }
}
