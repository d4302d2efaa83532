/**
 * The desktop side of `benchvisor agent`: one ssh process whose stdio carries the agent protocol.
 * Everything the host sends is untrusted: lines are capped, the hello is checked, every reply is
 * validated against its channel's response schema and every event against its payload schema;
 * what does not fit is an error value (replies) or dropped (events), never a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import {
  AGENT_API,
  AGENT_MAX_LINE_BYTES,
  AGENT_PROTOCOL,
  AgentHelloSchema,
  AgentMessageSchema,
  type AgentChannel,
  type AgentHello,
  type AgentResponse,
} from '../../shared/agentProtocol';
import {
  API,
  EVENTS,
  type Channel,
  type EventName,
  type EventPayload,
  type Request,
  type Response,
} from '../../shared/api';
import type { Host, HostProblem } from '../../shared/hosts';
import { AppErrorSchema, err, type Result } from '../../shared/result';
import type { ProcessTracker } from '../process/tracker';
import { LineSplitter } from '../util/lineSplitter';
import { sshAgentArgv } from './sshCommand';
import { classifySshFailure, incompatibleProblem, notAnAgentProblem } from './sshProblems';

/** How long the agent may take to say hello (ssh login + Benchvisor's start on a busy host). */
export const HELLO_TIMEOUT_MS = 90_000;
/** Bytes of ssh's stderr kept for the diagnosis. */
const STDERR_KEEP_BYTES = 16 * 1024;

export interface LinkOptions {
  env: NodeJS.ProcessEnv;
  tracker: ProcessTracker;
  /** This app's version (compared in messages only; the protocol decides). */
  version: string;
  /** The ssh program (default `ssh`). */
  sshProgram?: string;
  helloTimeoutMs?: number;
}

/** How a link ended after its hello. */
export interface LinkClosed {
  exitCode: number | null;
  stderr: string;
}

export interface AgentLink {
  host: Host;
  hello: AgentHello;
  pid: number | undefined;
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  agentCall<C extends AgentChannel>(
    channel: C,
    request: z.input<(typeof AGENT_API)[C]['request']>,
  ): Promise<Result<AgentResponse<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Resolves when the ssh process has ended (the link is then unusable). */
  closed: Promise<LinkClosed>;
  /** Ends the ssh process (the host's engine and its run go on). */
  close(): void;
}

export type LinkOutcome = { ok: true; link: AgentLink } | { ok: false; problem: HostProblem };

function validateReply(schema: z.ZodType, raw: unknown): Result<unknown> {
  if (typeof raw === 'object' && raw !== null && (raw as { ok?: unknown }).ok === false) {
    const e = AppErrorSchema.safeParse((raw as { error?: unknown }).error);
    return e.success
      ? { ok: false, error: e.data }
      : err('INTERNAL', 'the host sent a malformed error');
  }
  if (typeof raw === 'object' && raw !== null && (raw as { ok?: unknown }).ok === true) {
    const v = schema.safeParse((raw as { value?: unknown }).value);
    if (v.success) return { ok: true, value: v.data };
  }
  return err('INTERNAL', 'the host sent a reply that does not match the API contract');
}

class Link implements AgentLink {
  hello!: AgentHello;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { schema: z.ZodType; resolve: (r: Result<unknown>) => void }
  >();
  private readonly events = new EventEmitter();
  private ended = false;
  closed!: Promise<LinkClosed>;

  constructor(
    readonly host: Host,
    private readonly child: ChildProcess,
  ) {
    this.events.setMaxListeners(0);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onLine(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return; // not a message: ignored (a hostile host cannot make us throw)
    }
    const msg = AgentMessageSchema.safeParse(json);
    if (!msg.success) return;
    if (msg.data.type === 'reply') {
      const p = this.pending.get(msg.data.id);
      if (!p) return;
      this.pending.delete(msg.data.id);
      p.resolve(validateReply(p.schema, msg.data.result));
      return;
    }
    const name = msg.data.event;
    if (!Object.prototype.hasOwnProperty.call(EVENTS, name)) return;
    const payload = EVENTS[name as EventName].safeParse(msg.data.payload);
    if (payload.success) this.events.emit(name, payload.data);
  }

  end(): void {
    this.ended = true;
    for (const p of this.pending.values())
      p.resolve(err('UNAVAILABLE', `the connection to ${this.host.name} was lost`));
    this.pending.clear();
  }

  private send(channel: string, request: unknown, schema: z.ZodType): Promise<Result<unknown>> {
    if (this.ended || !this.child.stdin?.writable)
      return Promise.resolve(err('UNAVAILABLE', `the connection to ${this.host.name} is closed`));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { schema, resolve });
      this.child.stdin!.write(JSON.stringify({ id, channel, request }) + '\n');
    });
  }

  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>> {
    return this.send(channel, request, API[channel].response) as Promise<Result<Response<C>>>;
  }

  agentCall<C extends AgentChannel>(
    channel: C,
    request: z.input<(typeof AGENT_API)[C]['request']>,
  ): Promise<Result<AgentResponse<C>>> {
    return this.send(channel, request, AGENT_API[channel].response) as Promise<
      Result<AgentResponse<C>>
    >;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}

/** Starts ssh to the host's agent and waits for its hello. */
export function openAgentLink(host: Host, opts: LinkOptions): Promise<LinkOutcome> {
  const child = spawn(opts.sshProgram ?? 'ssh', sshAgentArgv(host, opts.env), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: opts.env,
  });
  const untrack = opts.tracker.track({
    label: `ssh ${host.name}`,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  });
  const link = new Link(host, child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP_BYTES);
  });
  child.stdin!.on('error', () => {});
  link.closed = new Promise((resolve) => {
    child.on('close', (code) => {
      untrack();
      link.end();
      resolve({ exitCode: code, stderr });
    });
    child.on('error', (e) => {
      stderr += `\n${e.message}`;
    });
  });
  return new Promise<LinkOutcome>((resolve) => {
    let greeted = false;
    const settle = (outcome: LinkOutcome): void => {
      if (greeted) return;
      greeted = true;
      clearTimeout(timer);
      if (!outcome.ok) link.close();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          problem: {
            kind: 'agent-failed',
            message: `${host.name}: no answer from Benchvisor's agent within ${Math.round((opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS) / 1000)} s`,
            fix: 'check the host by hand (ssh to it and run `benchvisor agent`)',
          },
        }),
      opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
    );
    const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, (e) => {
      if ('oversized' in e) return;
      if (greeted) return link.onLine(e.line);
      if (e.line.trim() === '') return;
      settle(greet(host, e.line, link, opts.version));
    });
    child.stdout!.on('data', (d: Buffer) => splitter.push(d));
    void link.closed.then(({ exitCode }) =>
      settle({ ok: false, problem: classifySshFailure(host, exitCode, stderr, opts.env) }),
    );
  });
}

function greet(host: Host, line: string, link: Link, version: string): LinkOutcome {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, problem: notAnAgentProblem(host, line) };
  }
  const hello = AgentHelloSchema.safeParse(json);
  if (!hello.success) {
    const h = json as { agent?: unknown; protocol?: unknown; version?: unknown } | null;
    if (h && h.agent === 'benchvisor-agent')
      return {
        ok: false,
        problem: incompatibleProblem(
          host,
          { protocol: Number(h.protocol), version: String(h.version ?? 'unknown') },
          { protocol: AGENT_PROTOCOL, version },
        ),
      };
    return { ok: false, problem: notAnAgentProblem(host, line) };
  }
  if (hello.data.protocol !== AGENT_PROTOCOL)
    return {
      ok: false,
      problem: incompatibleProblem(host, hello.data, { protocol: AGENT_PROTOCOL, version }),
    };
  link.hello = hello.data;
  return { ok: true, link };
}
