/**
 * A small QMP (QEMU Machine Protocol) client over a unix socket: greeting,
 * qmp_capabilities, then one command at a time with its JSON answer.
 * Asynchronous events are collected, not mistaken for answers.
 */
import type { Socket } from 'node:net';
import { connectWithRetry, readLines } from './lineSocket';

export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package?: string };
}

export interface QmpEvent {
  event: string;
  data?: unknown;
}

export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'QmpError';
  }
}

const CLOSED_MESSAGE = 'the QMP connection closed (QEMU exited)';

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/** Parses one QMP line; returns what kind of message it is. */
export function classifyQmpMessage(
  line: string,
):
  | { kind: 'greeting'; greeting: QmpGreeting }
  | { kind: 'return'; id: unknown; value: unknown }
  | { kind: 'error'; id: unknown; errorClass: string; desc: string }
  | { kind: 'event'; event: QmpEvent }
  | { kind: 'garbage'; line: string } {
  let msg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return { kind: 'garbage', line };
    msg = parsed as Record<string, unknown>;
  } catch {
    return { kind: 'garbage', line };
  }
  if ('QMP' in msg) return { kind: 'greeting', greeting: msg.QMP as QmpGreeting };
  if ('return' in msg) return { kind: 'return', id: msg.id, value: msg.return };
  if ('error' in msg) {
    const e = (msg.error ?? {}) as { class?: string; desc?: string };
    return {
      kind: 'error',
      id: msg.id,
      errorClass: e.class ?? 'GenericError',
      desc: e.desc ?? 'unknown error',
    };
  }
  if (typeof msg.event === 'string')
    return { kind: 'event', event: { event: msg.event, data: msg.data } };
  return { kind: 'garbage', line };
}

export class QmpClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private greetingWaiter: { resolve(g: QmpGreeting): void; reject(e: Error): void } | null = null;
  private closedError: Error | null = null;
  readonly events: QmpEvent[] = [];
  greeting: QmpGreeting | null = null;

  private constructor(private readonly socket: Socket) {
    readLines(socket, (line) => this.onLine(line));
    socket.on('close', () => this.fail(new Error(CLOSED_MESSAGE)));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      // Writing to a socket QEMU already closed (EPIPE, ECONNRESET) is QEMU having gone away.
      this.fail(
        e.code === 'EPIPE' || e.code === 'ECONNRESET'
          ? new Error(CLOSED_MESSAGE)
          : new Error(`QMP socket error: ${e.message}`),
      ),
    );
  }

  /** Connects, waits for the greeting and negotiates capabilities. */
  static async connect(path: string, timeoutMs: number, signal?: AbortSignal): Promise<QmpClient> {
    const socket = await connectWithRetry(path, timeoutMs, signal);
    const client = new QmpClient(socket);
    try {
      await client.waitGreeting(timeoutMs);
      await client.execute('qmp_capabilities');
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** Resolves with the greeting; rejects at once when the socket closes first (QEMU died). */
  private waitGreeting(timeoutMs: number): Promise<QmpGreeting> {
    if (this.greeting) return Promise.resolve(this.greeting);
    if (this.closedError)
      return Promise.reject(new Error(`no QMP greeting: ${this.closedError.message}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.greetingWaiter = null;
        reject(new Error('no QMP greeting from QEMU'));
      }, timeoutMs);
      this.greetingWaiter = {
        resolve: (g) => {
          clearTimeout(timer);
          this.greetingWaiter = null;
          resolve(g);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.greetingWaiter = null;
          reject(new Error(`no QMP greeting: ${e.message}`));
        },
      };
    });
  }

  private onLine(line: string): void {
    const m = classifyQmpMessage(line);
    switch (m.kind) {
      case 'greeting':
        this.greeting = m.greeting;
        this.greetingWaiter?.resolve(m.greeting);
        break;
      case 'return':
      case 'error': {
        const id = typeof m.id === 'number' ? m.id : -1;
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        if (m.kind === 'return') p.resolve(m.value);
        else p.reject(new QmpError(m.errorClass, m.desc));
        break;
      }
      case 'event':
        this.events.push(m.event);
        break;
      case 'garbage':
        break;
    }
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    this.greetingWaiter?.reject(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg = args ? { execute: command, arguments: args, id } : { execute: command, id };
      this.socket.write(JSON.stringify(msg) + '\n');
    });
  }

  /** query-kvm: whether KVM is compiled in (present) and actually in use (enabled). */
  async queryKvm(): Promise<{ enabled: boolean; present: boolean }> {
    const r = (await this.execute('query-kvm')) as { enabled?: unknown; present?: unknown };
    return { enabled: r.enabled === true, present: r.present === true };
  }

  async queryStatus(): Promise<{ status: string; running: boolean }> {
    const r = (await this.execute('query-status')) as { status?: unknown; running?: unknown };
    return { status: String(r.status ?? 'unknown'), running: r.running === true };
  }

  /** "7.2.22" from the greeting. */
  qemuVersion(): string {
    const v = this.greeting?.version.qemu;
    return v ? `${v.major}.${v.minor}.${v.micro}` : 'unknown';
  }

  /** stop: the guest's vCPUs halt (query-status says "paused"); the QEMU process stays. */
  async stop(): Promise<void> {
    await this.execute('stop');
  }

  /** cont: the stopped guest runs on. */
  async cont(): Promise<void> {
    await this.execute('cont');
  }

  async powerdown(): Promise<void> {
    await this.execute('system_powerdown');
  }

  /** Asks QEMU to exit now; the connection closing is the expected answer. */
  async quit(): Promise<void> {
    try {
      await this.execute('quit');
    } catch {
      /* QEMU may close the socket before answering */
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
