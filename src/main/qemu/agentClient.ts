/**
 * Host side of the guest agent's line protocol (see resources/guest/agent.sh):
 * RUN/KILL/PUT/PING out, READY/OUT/EXIT/ERR back, over QEMU's virtio-serial
 * chardev socket.
 */
import type { Socket } from 'node:net';
import { connectWithRetry, readLines } from './lineSocket';

/** Agent protocol version this host speaks (the guest says READY <version>). */
export const AGENT_PROTOCOL_VERSION = 1;
/** How long a killed command may take to report its EXIT before the guest counts as hung. */
export const DEFAULT_KILL_GRACE_MS = 15_000;

export type AgentFailureCode = 'TIMEOUT' | 'CANCELLED' | 'GUEST_FAILED';

export interface AgentRunResult {
  exitCode: number | null;
  stdout: string;
  failure?: { code: AgentFailureCode; message: string };
}

export interface AgentRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  killGraceMs?: number;
}

interface PendingCommand {
  lines: string[];
  finish(exitCode: number | null, failure?: AgentRunResult['failure']): void;
}

/** Quotes one argument for the agent's `eval "set -- ..."` (POSIX single quotes). */
export function quoteArg(arg: string): string {
  if (/[\n\r\0]/.test(arg))
    throw new Error(`agent arguments cannot contain newlines or NUL: ${JSON.stringify(arg)}`);
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Builds a RUN line for the agent. */
export function runLine(id: number, argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('RUN needs a program');
  return `RUN ${id} ${argv.map(quoteArg).join(' ')}`;
}

/** Splits an agent line into verb, id and the rest. */
export function parseAgentLine(line: string): { verb: string; id: number; rest: string } | null {
  const m = /^([A-Z]+) (\d+)(?: (.*))?$/.exec(line);
  if (!m) return null;
  return { verb: m[1] ?? '', id: Number(m[2]), rest: m[3] ?? '' };
}

export class AgentClient {
  private readonly pending = new Map<number, PendingCommand>();
  private nextId = 1;
  private readyWaiters: ((version: number) => void)[] = [];
  private readyVersion: number | null = null;
  /** Set once the guest is known to be unusable (closed, hung, restarted). */
  broken: string | null = null;

  private constructor(private readonly socket: Socket) {
    readLines(socket, (line) => this.onLine(line));
    socket.on('close', () => this.breakAll('the agent connection closed (the guest stopped)'));
    socket.on('error', () => {
      /* 'close' follows */
    });
  }

  static async connect(
    path: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<AgentClient> {
    return new AgentClient(await connectWithRetry(path, timeoutMs, signal));
  }

  private onLine(line: string): void {
    if (line.startsWith('READY')) {
      const version = Number(line.split(' ')[1] ?? NaN);
      if (this.readyVersion !== null) {
        this.breakAll('the guest agent restarted unexpectedly');
        return;
      }
      this.readyVersion = version;
      for (const w of this.readyWaiters) w(version);
      this.readyWaiters = [];
      return;
    }
    const msg = parseAgentLine(line);
    if (!msg) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.verb === 'OUT') p.lines.push(msg.rest);
    else if (msg.verb === 'EXIT') p.finish(Number(msg.rest));
    else if (msg.verb === 'ERR')
      p.finish(null, { code: 'GUEST_FAILED', message: `guest agent: ${msg.rest}` });
  }

  private breakAll(reason: string): void {
    this.broken ??= reason;
    for (const p of [...this.pending.values()])
      p.finish(null, { code: 'GUEST_FAILED', message: this.broken });
    this.pending.clear();
    for (const w of this.readyWaiters) w(NaN);
    this.readyWaiters = [];
  }

  /** Marks the guest unusable from outside (e.g. QEMU exited). */
  markBroken(reason: string): void {
    this.breakAll(reason);
  }

  /** Resolves with the protocol version once the guest said READY. */
  waitReady(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    if (this.readyVersion !== null) return Promise.resolve(this.readyVersion);
    return new Promise((resolve, reject) => {
      const done = (fn: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void =>
        done(() => reject(new Error('cancelled while the guest was booting')));
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `the guest agent did not report READY within ${Math.round(timeoutMs / 1000)} s`,
              ),
            ),
          ),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.readyWaiters.push((v) =>
        done(() =>
          Number.isNaN(v)
            ? reject(new Error(this.broken ?? 'the guest stopped while booting'))
            : resolve(v),
        ),
      );
    });
  }

  private send(line: string): void {
    this.socket.write(line + '\n');
  }

  /** Runs argv in the guest; never throws: problems come back as failure. */
  run(argv: readonly string[], opts: AgentRunOptions): Promise<AgentRunResult> {
    if (this.broken)
      return Promise.resolve({
        exitCode: null,
        stdout: '',
        failure: { code: 'GUEST_FAILED', message: this.broken },
      });
    const id = this.nextId++;
    let line: string;
    try {
      line = runLine(id, argv);
    } catch (e) {
      return Promise.resolve({
        exitCode: null,
        stdout: '',
        failure: { code: 'GUEST_FAILED', message: (e as Error).message },
      });
    }
    const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    return new Promise((resolve) => {
      let ended: AgentRunResult['failure'];
      let graceTimer: NodeJS.Timeout | undefined;
      const pending: PendingCommand = {
        lines: [],
        finish: (exitCode, failure) => {
          clearTimeout(timer);
          clearTimeout(graceTimer);
          opts.signal?.removeEventListener('abort', onAbort);
          this.pending.delete(id);
          const f = failure ?? ended;
          const result: AgentRunResult = {
            exitCode: ended ? null : exitCode,
            stdout: pending.lines.join('\n'),
          };
          if (f) result.failure = f;
          resolve(result);
        },
      };
      const endWith = (failure: NonNullable<AgentRunResult['failure']>): void => {
        if (ended) return;
        ended = failure;
        this.send(`KILL ${id}`);
        graceTimer = setTimeout(() => {
          const reason = `the guest did not end ${argv[0]} within ${Math.round(grace / 1000)} s of being told to: it is not responding`;
          this.broken ??= reason;
          pending.finish(null, { code: failure.code, message: `${failure.message}; ${reason}` });
        }, grace);
      };
      const timer = setTimeout(
        () =>
          endWith({
            code: 'TIMEOUT',
            message: `${argv[0]} did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was killed`,
          }),
        opts.timeoutMs,
      );
      const onAbort = (): void =>
        endWith({ code: 'CANCELLED', message: `${argv[0]} was cancelled` });
      this.pending.set(id, pending);
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.send(line);
    });
  }

  /** Writes a file in the guest (base64 over the line protocol; meant for small files). */
  async put(path: string, data: Buffer | string, timeoutMs: number): Promise<AgentRunResult> {
    if (this.broken)
      return {
        exitCode: null,
        stdout: '',
        failure: { code: 'GUEST_FAILED', message: this.broken },
      };
    if (/[\s]/.test(path)) throw new Error(`guest path must not contain whitespace: ${path}`);
    const id = this.nextId++;
    const b64 = Buffer.from(data).toString('base64');
    return new Promise((resolve) => {
      const timer = setTimeout(
        () =>
          pending.finish(null, {
            code: 'TIMEOUT',
            message: `writing ${path} in the guest timed out`,
          }),
        timeoutMs,
      );
      const pending: PendingCommand = {
        lines: [],
        finish: (exitCode, failure) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(failure ? { exitCode, stdout: '', failure } : { exitCode, stdout: '' });
        },
      };
      this.pending.set(id, pending);
      this.send(`PUT ${id} ${path} ${b64}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
