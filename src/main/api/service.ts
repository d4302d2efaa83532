/**
 * The API service: implements every channel of src/shared/api.ts on top of the run engine
 * (engine/runEngine.ts, local or remote) and the finished runs (ServiceDeps). Each client (an
 * Electron window, a browser tab, a `benchvisor agent` peer) gets its own connection with its
 * own console flow control (consoleStreams.ts) and uploads (uploadHandlers.ts); run events are
 * broadcast to all connections in the shape the engine sent them.
 */
import type { ApiHandlers, EventName, EventPayload } from '../../shared/api';
import { parseExperimentConfig } from '../../shared/config';
import { AppFailure, err, ok, toAppError, type Result } from '../../shared/result';
import type { RunEngine } from '../engine/runEngine';
import type { HostsPort } from '../hosts/hostsService';
import { PLACES_RUN_PREFIX } from '../../shared/hosts';
import { BundleUploads } from '../export/bundleUploads';
import type { FlowOptions, Scheduler } from './consoleFlow';
import { ConsoleStreams, type ConsoleClient, type EventSink } from './consoleStreams';
import type { RunEvent, ServiceDeps, StartedRun } from './serviceDeps';
import { uploadHandlers } from './uploadHandlers';

export type { EventSink } from './consoleStreams';

export interface ApiConnection {
  handlers: ApiHandlers;
  close(): void;
}

/** How a client reaches the service: the Electron window, a browser tab, a `benchvisor agent` peer. */
export type ApiTransport = 'ipc' | 'websocket' | 'agent';

export interface ServiceOptions {
  flow?: FlowOptions;
  scheduler?: Scheduler;
}

interface Client extends ConsoleClient {
  transport: ApiTransport;
  /** Bundle uploads this connection started (discarded when it closes). */
  uploads: Set<string>;
}

type RunChannel = 'run:start' | 'run:more' | 'run:cancel' | 'run:active';
type ConsoleChannel = 'console:write' | 'console:ack' | 'console:history';
type HostChannel = 'hosts:list' | 'hosts:add' | 'hosts:check' | 'hosts:remove';

export class ApiService {
  private readonly clients = new Set<Client>();
  private readonly consoles: ConsoleStreams;
  private active: StartedRun | null = null;
  /** The engine of the active run: this machine's, or one over lab hosts (hostsService.ts). */
  private activeEngine: RunEngine | null = null;
  private starting = false;
  private readonly uploads: BundleUploads;

  constructor(
    private readonly deps: ServiceDeps,
    options: ServiceOptions = {},
  ) {
    this.uploads = new BundleUploads(deps.uploadsDir);
    this.consoles = new ConsoleStreams(() => this.clients, options);
  }

  /** Bundle uploads in progress, over all connections. */
  get openUploads(): number {
    return this.uploads.open;
  }

  /** Releases what the service holds on disk (unfinished uploads); shells call this on exit. */
  dispose(): void {
    this.uploads.discardAll();
  }

  get activeRunId(): string | null {
    return this.active?.runId ?? null;
  }

  /** Opens a client connection; call close() when the window/socket goes away. */
  connect(sink: EventSink, transport: ApiTransport): ApiConnection {
    const client: Client = { sink, transport, flows: new Map(), uploads: new Set() };
    this.clients.add(client);
    return {
      handlers: this.handlersFor(client),
      close: () => {
        this.consoles.drop(client);
        for (const id of client.uploads) void this.uploads.discard(id);
        client.uploads.clear();
        this.clients.delete(client);
      },
    };
  }

  /** Cancels the active run (shells call this on exit). */
  cancelActive(): void {
    if (this.active) this.runEngine().cancel(this.active.runId);
  }

  /** The engine that cancel, console input and acknowledgements go to. */
  private runEngine(): RunEngine {
    return this.activeEngine ?? this.deps.engine;
  }

  private hostsPort(): HostsPort {
    if (!this.deps.hosts)
      throw new AppFailure('UNAVAILABLE', 'lab hosts are not available in this instance');
    return this.deps.hosts;
  }

  private broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const c of this.clients) {
      try {
        c.sink.send(event, payload);
      } catch {
        /* a client that cannot receive is closed by its binding */
      }
    }
  }

  /** One event of the run in progress, as the engine sent it. */
  private onRunEvent(e: RunEvent): void {
    if (e.event === 'console:data') this.consoles.data(e.payload);
    else {
      if (e.event === 'run:finished' && this.active?.runId === e.payload.runId) this.active = null;
      this.broadcast(e.event, e.payload as never);
    }
  }

  private handlersFor(client: Client): ApiHandlers {
    const deps = this.deps;
    const bundleDeps = {
      runsDir: deps.runsDir,
      getRun: (runId: string) => deps.getRun(runId),
      exportsDir: deps.exportsDir,
      ...(deps.staging ? { staging: deps.staging } : {}),
    };
    return {
      ...uploadHandlers(bundleDeps, this.uploads, {
        uploads: client.uploads,
        // A browser (or a remote app through the agent) uploads the bundle.
        mayImportPath: client.transport === 'ipc',
      }),
      'app:info': async () =>
        ok({
          version: deps.version,
          transport: client.transport,
          runsDir: deps.runsDir,
          host: deps.host,
        }),
      'doctor:check': async (req) => ok(await deps.engine.doctor(req.refresh ?? false)),
      'experiment:validate': async (req) => {
        const parsed = parseExperimentConfig(req.config);
        return ok(parsed.ok ? { valid: true } : { valid: false, message: parsed.message });
      },
      'experiment:preview': async (req) => {
        const parsed = parseExperimentConfig(req.config);
        if (!parsed.ok) return err('INVALID_CONFIG', parsed.message);
        return ok(await deps.engine.preview(parsed.config));
      },
      ...this.runHandlers(),
      'runs:list': async () => ok(await deps.listRuns()),
      'runs:get': async (req) => {
        const detail = await deps.getRun(req.runId);
        return detail ? ok(detail) : err('NOT_FOUND', `no run with id "${req.runId}"`);
      },
      'runs:delete': async (req) => {
        const refusal = await this.deleteRefusal(req.runId);
        if (refusal !== null) return err('BUSY', refusal);
        return (await deps.deleteRun(req.runId))
          ? ok({ deleted: true })
          : err('NOT_FOUND', `no run with id "${req.runId}"`);
      },
      ...this.consoleHandlers(client),
      ...this.hostHandlers(),
    };
  }

  /**
   * Why a run cannot be deleted now, or null: the active run (a run over lab hosts included),
   * and any run whose folder is still being written — this machine's part of a run over lab
   * hosts, or a run another process (the CLI) is measuring. A finished run is deleted even
   * while a run over lab hosts it was part of goes on at the hosts.
   */
  private async deleteRefusal(runId: string): Promise<string | null> {
    if (this.active?.runId === runId)
      return `run ${runId} is still running: cancel it before deleting it`;
    const item = (await this.deps.listRuns()).find((i) => i.runId === runId);
    if (item?.status !== 'running') return null;
    const places = this.active?.runId.startsWith(PLACES_RUN_PREFIX) ? this.active : null;
    const within = places ? ` (part of the run "${places.name ?? places.runId}")` : '';
    return `run ${runId}${within} is still being measured: wait until it has ended or cancel it, then delete it`;
  }

  private hostHandlers(): Pick<ApiHandlers, HostChannel> {
    return {
      'hosts:list': async () => ok(await this.hostsPort().list()),
      'hosts:add': async (req) => ok(await this.hostsPort().add(req)),
      'hosts:check': async (req) => ok(await this.hostsPort().check(req.name)),
      'hosts:remove': async (req) => ok({ removed: await this.hostsPort().remove(req.name) }),
    };
  }

  private runHandlers(): Pick<ApiHandlers, RunChannel> {
    return {
      'run:start': (req) => {
        const parsed = parseExperimentConfig(req.config);
        if (!parsed.ok) return Promise.resolve(err('INVALID_CONFIG', parsed.message));
        const where = req.where;
        return this.startRun(
          parsed.config.name,
          // Lab hosts among the places: one run over all of them; else this machine's engine.
          () => (where?.hosts.length ? this.hostsPort().engineFor(where) : this.deps.engine),
          (engine, sink) => engine.start(parsed.config, sink),
        );
      },
      // More repetitions of a finished run of this machine (runs from lab hosts are refused).
      'run:more': (req) =>
        this.startRun(
          req.runId,
          () => this.deps.engine,
          (engine, sink) => engine.more(req.runId, req.repetitions, sink),
          req.repetitions,
        ),
      'run:cancel': async (req) => {
        if (!this.active || this.active.runId !== req.runId) return ok({ cancelled: false });
        this.runEngine().cancel(req.runId);
        return ok({ cancelled: true });
      },
      'run:active': async () =>
        ok({
          runId: this.active?.runId ?? null,
          ...(this.active?.name ? { name: this.active.name } : {}),
          platforms: this.active?.platforms ?? [],
          ...(this.active?.targets ? { targets: this.active.targets } : {}),
        }),
    };
  }

  /**
   * Starts a run (new, or `more` repetitions of a finished one) on the engine `pick` gives. Its
   * events may come before the engine says it started: they wait until run:started went out,
   * then follow in their order.
   */
  private async startRun(
    name: string,
    pick: () => RunEngine,
    start: (engine: RunEngine, sink: (e: RunEvent) => void) => Promise<StartedRun>,
    more?: number,
  ): Promise<Result<{ runId: string; dir: string }>> {
    if (this.active || this.starting) {
      return err(
        'BUSY',
        `run ${this.active ? `"${this.active.name ?? ''}" (${this.active.runId})` : '(starting)'} is still in progress: cancel it or wait`,
      );
    }
    this.starting = true;
    let early: RunEvent[] | null = [];
    try {
      const engine = pick();
      this.activeEngine = engine;
      const handle = await start(engine, (e) => {
        if (early) early.push(e);
        else this.onRunEvent(e);
      });
      const waiting = early;
      early = null;
      this.consoles.begin(handle.runId);
      const named = { ...handle, name: handle.name ?? name };
      if (!waiting.some((e) => e.event === 'run:finished')) this.active = named;
      this.broadcast('run:started', {
        runId: handle.runId,
        dir: handle.dir,
        name: named.name,
        platforms: handle.platforms,
        ...(handle.targets ? { targets: handle.targets } : {}),
        ...(more !== undefined ? { more } : {}),
      });
      for (const e of waiting) this.onRunEvent(e);
      return ok({ runId: handle.runId, dir: handle.dir });
    } catch (e) {
      this.activeEngine = null;
      return { ok: false, error: toAppError(e) };
    } finally {
      early = null;
      this.starting = false;
    }
  }

  private consoleHandlers(client: Client): Pick<ApiHandlers, ConsoleChannel> {
    return {
      'console:write': async (req) => {
        if (!this.active || this.active.runId !== req.runId) return ok({ written: false });
        const written = this.runEngine().write(req.runId, req.platform, req.data, req.target);
        return ok({ written });
      },
      'console:ack': async (req) => {
        const stream = req.target ?? req.platform;
        const reached = this.consoles.ack(client, req.runId, stream, req.offset);
        if (reached !== null) this.runEngine().ack(req.runId, stream, reached);
        return ok({});
      },
      'console:history': async (req) => {
        const got = await this.consoles.historyFor(
          client,
          { runId: req.runId, platform: req.platform, stream: req.target ?? req.platform },
          async () => (await this.deps.getRun(req.runId))?.item.dir ?? null,
        );
        return got ? ok(got) : err('NOT_FOUND', `no run with id "${req.runId}"`);
      },
    };
  }
}
