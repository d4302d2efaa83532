/**
 * A run on a lab host, driven like a local one: started through the host's agent, its progress,
 * samples, log and consoles forwarded, typing and cancel sent there. The run belongs to the
 * host's engine: when the SSH connection drops, the run goes on; this side says so, reconnects
 * and re-attaches (or finds the run ended) and finally copies it home (remoteFetch.ts).
 */
import type { Request } from '../../shared/api';
import type { HostProblem, Host } from '../../shared/hosts';
import type { PlatformId } from '../../shared/platforms';
import type { AppError } from '../../shared/result';
import type { FinishedEvent, LogEvent, ProgressEvent, RunStatus } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import { openAgentLink, type AgentLink, type LinkOptions } from './agentLink';
import { fetchRun, type FetchTarget, type FetchedRun } from './remoteFetch';

/** Pause between reconnection attempts after the connection dropped. */
export const RECONNECT_DELAY_MS = 3000;
/** How long to keep trying to reach a host whose run is going on there. */
export const RECONNECT_FOR_MS = 30 * 60 * 1000;

export interface RemoteRunObserver {
  progress(e: ProgressEvent): void;
  sample(s: Sample): void;
  log(e: LogEvent): void;
  console(platform: PlatformId, data: string, offset: number, target?: string): void;
  /** Connection news in words ("lab1: connection lost, the run goes on there; re-attaching…"). */
  notice(message: string): void;
}

export interface RemoteRunOptions extends LinkOptions, FetchTarget {
  observer: RemoteRunObserver;
  reconnectDelayMs?: number;
  reconnectForMs?: number;
}

export interface RemoteOutcome {
  host: string;
  remoteRunId: string;
  status: RunStatus | 'unreachable';
  finished: FinishedEvent | null;
  /** The copy in the local history. */
  local: FetchedRun | null;
  error?: string;
}

export type RemoteStart =
  { ok: true; run: RemoteRun } | { ok: false; problem?: HostProblem; error?: AppError };

type Attached = { kind: 'finished'; event: FinishedEvent } | { kind: 'lost' };

export class RemoteRun {
  private link: AgentLink | null;
  private cancelRequested = false;
  /** Console bytes seen per stream (target, or platform), to continue after a re-attach. */
  private readonly offsets = new Map<
    string,
    { platform: PlatformId; target?: string; offset: number }
  >();
  readonly finished: Promise<RemoteOutcome>;

  private constructor(
    readonly host: Host,
    readonly remoteRunId: string,
    link: AgentLink,
    private readonly opts: RemoteRunOptions,
  ) {
    this.link = link;
    this.finished = this.follow();
  }

  /** Starts the experiment at the host. */
  static async start(host: Host, config: unknown, opts: RemoteRunOptions): Promise<RemoteStart> {
    const opened = await openAgentLink(host, opts);
    if (!opened.ok) return { ok: false, problem: opened.problem };
    const started = await opened.link.call('run:start', { config });
    if (!started.ok) {
      opened.link.close();
      return { ok: false, error: started.error };
    }
    return { ok: true, run: new RemoteRun(host, started.value.runId, opened.link, opts) };
  }

  /** Asks the host to cancel (sent on re-attach when the connection is down). */
  cancel(): void {
    this.cancelRequested = true;
    void this.link?.call('run:cancel', { runId: this.remoteRunId });
  }

  /** Keyboard input for a console at the host; false when it did not arrive. */
  async write(platform: PlatformId, data: string, target?: string): Promise<boolean> {
    if (!this.link) return false;
    const req: Request<'console:write'> = { runId: this.remoteRunId, platform, data };
    if (target !== undefined) req.target = target;
    const r = await this.link.call('console:write', req);
    return r.ok && r.value.written;
  }

  private async follow(): Promise<RemoteOutcome> {
    const base = { host: this.host.name, remoteRunId: this.remoteRunId };
    for (;;) {
      const link = this.link!;
      const attached = await this.attach(link);
      if (attached.kind === 'finished') {
        try {
          const local = await fetchRun(link, this.remoteRunId, this.opts);
          return { ...base, status: attached.event.status, finished: attached.event, local };
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          return {
            ...base,
            status: attached.event.status,
            finished: attached.event,
            local: null,
            error,
          };
        } finally {
          link.close();
          await link.closed;
        }
      }
      this.link = null;
      this.opts.observer.notice(
        `${this.host.name}: connection lost, the run goes on there; re-attaching…`,
      );
      this.link = await this.reconnect();
      if (!this.link) {
        return {
          ...base,
          status: 'unreachable',
          finished: null,
          local: null,
          error: `${this.host.name} stayed unreachable; the run ${this.remoteRunId} is kept there`,
        };
      }
      this.opts.observer.notice(`${this.host.name}: reconnected, re-attached to its run`);
    }
  }

  private async reconnect(): Promise<AgentLink | null> {
    const deadline = Date.now() + (this.opts.reconnectForMs ?? RECONNECT_FOR_MS);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, this.opts.reconnectDelayMs ?? RECONNECT_DELAY_MS));
      const opened = await openAgentLink(this.host, this.opts);
      if (opened.ok) return opened.link;
      this.opts.observer.notice(
        `${this.host.name}: not reachable yet, trying again (${opened.problem.message})`,
      );
    }
    return null;
  }

  /** Follows the run on one connection until it ends there or the connection drops. */
  private attach(link: AgentLink): Promise<Attached> {
    const runId = this.remoteRunId;
    const o = this.opts.observer;
    return new Promise<Attached>((resolve) => {
      let done = false;
      const offs: (() => void)[] = [];
      const settle = (a: Attached): void => {
        if (done) return;
        done = true;
        for (const off of offs) off();
        resolve(a);
      };
      offs.push(
        link.on('run:progress', (e) => e.runId === runId && o.progress(e)),
        link.on('run:sample', (s) => s.runId === runId && o.sample(s)),
        link.on('run:log', (e) => e.runId === runId && o.log(e)),
        link.on('console:data', (e) => {
          if (e.runId !== runId) return;
          this.consoleSeen(e.platform, e.data, e.offset, e.target);
          void link.call('console:ack', {
            runId,
            platform: e.platform,
            ...(e.target !== undefined ? { target: e.target } : {}),
            offset: e.offset,
          });
        }),
        link.on('run:finished', (e) => e.runId === runId && settle({ kind: 'finished', event: e })),
      );
      void link.closed.then(() => settle({ kind: 'lost' }));
      void this.catchUp(link).then((ended) => ended && settle({ kind: 'finished', event: ended }));
    });
  }

  private consoleSeen(platform: PlatformId, data: string, offset: number, target?: string): void {
    const key = target ?? platform;
    const seen = this.offsets.get(key);
    if (seen && offset <= seen.offset) return;
    this.offsets.set(key, { platform, ...(target !== undefined ? { target } : {}), offset });
    this.opts.observer.console(platform, data, offset, target);
  }

  /**
   * After (re-)attaching: is the run still going there? If it ended while we were away, its
   * record says how. Consoles continue from the bytes we had; a cancel asked for meanwhile is sent.
   */
  private async catchUp(link: AgentLink): Promise<FinishedEvent | null> {
    const runId = this.remoteRunId;
    const active = await link.call('run:active', {});
    if (active.ok && active.value.runId === runId) {
      if (this.cancelRequested) void link.call('run:cancel', { runId });
      for (const [, s] of this.offsets) await this.consoleHistory(link, s);
      return null;
    }
    const got = await link.call('runs:get', { runId });
    if (!got.ok) return null;
    const item = got.value.item;
    return {
      runId,
      status: item.status === 'running' ? 'interrupted' : item.status,
      dir: item.dir,
      failed: item.failedCount,
      measured: item.sampleCount - item.failedCount,
      message: 'ended while the connection was down',
    };
  }

  private async consoleHistory(
    link: AgentLink,
    s: { platform: PlatformId; target?: string; offset: number },
  ): Promise<void> {
    const req: Request<'console:history'> = { runId: this.remoteRunId, platform: s.platform };
    if (s.target !== undefined) req.target = s.target;
    const h = await link.call('console:history', req);
    if (!h.ok || h.value.offset <= s.offset) return;
    const bytes = Buffer.from(h.value.data, 'utf8');
    const missing = Math.min(bytes.length, h.value.offset - s.offset);
    const data = bytes.subarray(bytes.length - missing).toString('utf8');
    this.consoleSeen(s.platform, data, h.value.offset, s.target);
  }
}
