/**
 * The API service: implements every channel of src/shared/api.ts on top of the engine
 * (ServiceDeps). Each client (an Electron window, a browser tab) gets its own connection with
 * its own console flow control; run events are broadcast to all connections.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers, EventName, EventPayload } from '../../shared/api';
import { parseExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import { err, ok, toAppError } from '../../shared/result';
import { bundleHandlers } from '../export/apiHandlers';
import { BundleUploads } from '../export/bundleUploads';
import { ConsoleFlow, DEFAULT_FLOW_OPTIONS, realScheduler } from './consoleFlow';
import type { FlowOptions, Scheduler } from './consoleFlow';
import { ConsoleHistory, HISTORY_MAX_BYTES } from './consoleHistory';
import type { StartedRun, RunObserver, ServiceDeps } from './serviceDeps';

/** Where a connection's events go. */
export interface EventSink {
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

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

interface Client {
  sink: EventSink;
  transport: ApiTransport;
  /** Flow per console stream of the current run, keyed by target (the platform id when nothing varies). */
  flows: Map<string, ConsoleFlow>;
  /** Bundle uploads this connection started (discarded when it closes). */
  uploads: Set<string>;
}

export class ApiService {
  private readonly clients = new Set<Client>();
  private readonly history = new ConsoleHistory();
  private active: StartedRun | null = null;
  private starting = false;
  private currentRunId: string | null = null;
  private readonly uploads: BundleUploads;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: ServiceOptions = {},
  ) {
    this.uploads = new BundleUploads(deps.uploadsDir);
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
        for (const f of client.flows.values()) f.dispose();
        client.flows.clear();
        for (const id of client.uploads) void this.uploads.discard(id);
        client.uploads.clear();
        this.clients.delete(client);
      },
    };
  }

  /** Cancels the active run (shells call this on exit). */
  cancelActive(): void {
    this.active?.cancel();
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

  private flowFor(
    client: Client,
    runId: string,
    platform: PlatformId,
    target: string = platform,
  ): ConsoleFlow {
    let flow = client.flows.get(target);
    if (!flow) {
      flow = new ConsoleFlow(
        (data, offset) =>
          client.sink.send('console:data', {
            runId,
            platform,
            ...(target !== platform ? { target } : {}),
            data,
            offset,
          }),
        0,
        this.options.flow ?? DEFAULT_FLOW_OPTIONS,
        this.options.scheduler ?? realScheduler,
      );
      client.flows.set(target, flow);
    }
    return flow;
  }

  private observerFor(runIdRef: { runId: string | null }): RunObserver {
    return {
      progress: (e) => this.broadcast('run:progress', e),
      sample: (s) => this.broadcast('run:sample', s),
      log: (e) => this.broadcast('run:log', e),
      console: (platform, data, target = platform) => {
        const runId = runIdRef.runId;
        if (runId === null || data.length === 0) return;
        const { bytes } = this.history.append(target, data);
        for (const c of this.clients) this.flowFor(c, runId, platform, target).push(data, bytes);
      },
      finished: (e) => {
        if (this.active?.runId === e.runId) this.active = null;
        this.broadcast('run:finished', e);
      },
    };
  }

  private handlersFor(client: Client): ApiHandlers {
    const deps = this.deps;
    const bundles = bundleHandlers({
      runsDir: deps.runsDir,
      getRun: (runId) => deps.getRun(runId),
      exportsDir: deps.exportsDir,
      uploads: this.uploads,
      ...(deps.staging ? { staging: deps.staging } : {}),
    });
    // An upload is only visible to the connection that started it.
    const notMine = (uploadId: string) =>
      client.uploads.has(uploadId)
        ? null
        : err<never>('NOT_FOUND', 'no such upload on this connection');
    // An upload the store no longer has (imported, or discarded after a bad chunk) is forgotten.
    const forgetIfGone = (uploadId: string): void => {
      if (!this.uploads.has(uploadId)) client.uploads.delete(uploadId);
    };
    return {
      'runs:export': bundles['runs:export'],
      'runs:uploadBegin': async (req) => {
        const res = await bundles['runs:uploadBegin'](req);
        if (res.ok) client.uploads.add(res.value.uploadId);
        return res;
      },
      'runs:uploadChunk': async (req) => {
        const refused = notMine(req.uploadId);
        if (refused) return refused;
        const res = await bundles['runs:uploadChunk'](req);
        forgetIfGone(req.uploadId);
        return res;
      },
      'runs:uploadCancel': async (req) => {
        const refused = notMine(req.uploadId);
        if (refused) return refused;
        client.uploads.delete(req.uploadId);
        return bundles['runs:uploadCancel'](req);
      },
      'runs:import': async (req) => {
        // A browser (or a remote app through the agent) uploads the bundle; reading a
        // server-side path is for the desktop app.
        if (client.transport !== 'ipc' && req.file !== undefined) {
          return err(
            'UNAUTHORIZED',
            'web clients import by uploading the bundle (runs:uploadBegin/uploadChunk), not by server path',
          );
        }
        if (req.uploadId === undefined) return bundles['runs:import'](req);
        const refused = notMine(req.uploadId);
        if (refused) return refused;
        const res = await bundles['runs:import'](req);
        forgetIfGone(req.uploadId);
        return res;
      },
      'app:info': async () =>
        ok({
          version: deps.version,
          transport: client.transport,
          runsDir: deps.runsDir,
          host: deps.host,
        }),

      'doctor:check': async (req) => ok(await deps.doctor(req.refresh ?? false)),

      'experiment:validate': async (req) => {
        const parsed = parseExperimentConfig(req.config);
        return ok(parsed.ok ? { valid: true } : { valid: false, message: parsed.message });
      },

      'experiment:preview': async (req) => {
        const parsed = parseExperimentConfig(req.config);
        if (!parsed.ok) return err('INVALID_CONFIG', parsed.message);
        return ok(await deps.preview(parsed.config));
      },

      'run:start': async (req) => {
        const parsed = parseExperimentConfig(req.config);
        if (!parsed.ok) return err('INVALID_CONFIG', parsed.message);
        if (this.active || this.starting) {
          return err(
            'BUSY',
            `run ${this.active?.runId ?? '(starting)'} is still in progress: cancel it or wait`,
          );
        }
        this.starting = true;
        // Console output may arrive before startRun resolves: the run id is filled in as soon as known.
        const ref: { runId: string | null } = { runId: null };
        const observer = this.observerFor(ref);
        // Each chunk keeps its target: a run with variants has one console stream per target.
        const early: [PlatformId, string, string | undefined][] = [];
        let finishedEarly = false;
        const buffering: RunObserver = {
          ...observer,
          console: (p, d, t) => {
            if (ref.runId === null) early.push([p, d, t]);
            else observer.console(p, d, t);
          },
          finished: (e) => {
            if (ref.runId === null) finishedEarly = true;
            observer.finished(e);
          },
        };
        try {
          const handle = await deps.startRun(parsed.config, buffering);
          this.beginRun(handle, finishedEarly);
          this.broadcast('run:started', {
            runId: handle.runId,
            dir: handle.dir,
            name: parsed.config.name,
            platforms: handle.platforms,
            ...(handle.targets ? { targets: handle.targets } : {}),
          });
          ref.runId = handle.runId;
          for (const [p, d, t] of early) observer.console(p, d, t);
          return ok({ runId: handle.runId, dir: handle.dir });
        } catch (e) {
          return { ok: false, error: toAppError(e) };
        } finally {
          this.starting = false;
        }
      },

      'run:cancel': async (req) => {
        if (!this.active || this.active.runId !== req.runId) return ok({ cancelled: false });
        this.active.cancel();
        return ok({ cancelled: true });
      },

      'run:active': async () =>
        ok({
          runId: this.active?.runId ?? null,
          platforms: this.active?.platforms ?? [],
          ...(this.active?.targets ? { targets: this.active.targets } : {}),
        }),

      'runs:list': async () => ok(await deps.listRuns()),

      'runs:get': async (req) => {
        const detail = await deps.getRun(req.runId);
        return detail ? ok(detail) : err('NOT_FOUND', `no run with id "${req.runId}"`);
      },

      'runs:delete': async (req) => {
        if (this.active?.runId === req.runId) {
          return err('BUSY', `run ${req.runId} is still running: cancel it before deleting it`);
        }
        return (await deps.deleteRun(req.runId))
          ? ok({ deleted: true })
          : err('NOT_FOUND', `no run with id "${req.runId}"`);
      },

      'console:write': async (req) => {
        if (!this.active || this.active.runId !== req.runId) return ok({ written: false });
        return ok({ written: this.active.write(req.platform, req.data, req.target) });
      },

      'console:ack': async (req) => {
        if (this.currentRunId === req.runId)
          client.flows.get(req.target ?? req.platform)?.ack(req.offset);
        return ok({});
      },

      'console:history': async (req) => {
        const stream = req.target ?? req.platform;
        const kept = this.history.get(req.runId, stream);
        if (kept) {
          // From now on this client receives only what comes after the history it got.
          this.flowFor(client, req.runId, req.platform, stream).resetTo(kept.offset);
          return ok({ data: kept.data, offset: kept.offset });
        }
        const detail = await deps.getRun(req.runId);
        if (!detail) return err('NOT_FOUND', `no run with id "${req.runId}"`);
        const data = await readTail(
          join(detail.item.dir, 'consoles', `${stream}.log`),
          HISTORY_MAX_BYTES,
        );
        return ok({ data, offset: Buffer.byteLength(data, 'utf8') });
      },
    };
  }

  private beginRun(handle: StartedRun, alreadyFinished: boolean): void {
    if (!alreadyFinished) this.active = handle;
    if (this.currentRunId !== handle.runId) {
      this.currentRunId = handle.runId;
      this.history.reset(handle.runId);
      for (const c of this.clients) {
        for (const f of c.flows.values()) f.dispose();
        c.flows.clear();
      }
    }
  }
}

/** The last `maxBytes` of a text file ('' when it does not exist). */
async function readTail(path: string, maxBytes: number): Promise<string> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await fh.stat();
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}
