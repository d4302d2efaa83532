/**
 * The one typed API contract between the renderer and the Node side, shared by
 * the Electron preload/IPC binding and the web (WebSocket) binding.
 * Channels are named `domain:verb`; every call returns a Result envelope.
 */
import { z } from 'zod';
import { DoctorReportSchema } from './platforms';
import { PlatformId } from './platforms';
import { TargetIdSchema, TargetInfoSchema } from './targets';
import { SampleSchema } from './sample';
import {
  CellRecordSchema,
  ConsoleDataEventSchema,
  FinishedEventSchema,
  LogEventSchema,
  ProgressEventSchema,
  RunListItemSchema,
} from './run';
import type { Result } from './result';
import {
  HostCheckSchema,
  HostEntrySchema,
  HostNameSchema,
  HostSchema,
  RunPlacesSchema,
} from './hosts';

const Empty = z.strictObject({});
/** Most repetitions one "run N more" may add per cell. */
export const MAX_MORE_REPETITIONS = 1000;
const RunRef = z.strictObject({ runId: z.string().min(1).max(200) });
/** Largest bundle a client may upload (the importer's own zip size limit). */
export const BUNDLE_UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;
/**
 * Bundle bytes per upload chunk. A browser sends a bundle in chunks of this size
 * (runs:uploadBegin / runs:uploadChunk), so no WebSocket message is ever large
 * and neither side holds the whole bundle in memory.
 */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** The base64 length of a full chunk (the contract's limit for one chunk). */
export const UPLOAD_CHUNK_MAX_BASE64 = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;
const UploadId = z.string().regex(/^[0-9a-f-]{36}$/, 'not an upload id');

export const AppInfoSchema = z.object({
  version: z.string(),
  /** How this client reaches the engine (agent: `benchvisor agent` over stdio, e.g. through SSH). */
  transport: z.enum(['ipc', 'websocket', 'agent']),
  runsDir: z.string(),
  host: z.object({ cpuModel: z.string(), cores: z.number(), memoryMiB: z.number() }),
});

export const RunDetailSchema = z.object({
  item: RunListItemSchema,
  experiment: z.unknown(),
  environment: z.unknown(),
  samples: z.array(SampleSchema),
  summary: z.unknown().optional(),
  /** cells.json: how each cell ended (status, reason, adaptive stop reason). */
  cells: z.array(CellRecordSchema).optional(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const PreviewSchema = z.object({
  commands: z.array(
    z.object({
      platform: PlatformId,
      /** The target the command belongs to (absent from older engines: its platform). */
      target: z.string().optional(),
      title: z.string(),
      argv: z.array(z.string()),
    }),
  ),
  estimatedSeconds: z.number(),
  repetitionsTotal: z.number().int(),
  notes: z.array(z.string()),
  /** The schedule in words and what the run design adds to the estimate (absent from older engines). */
  schedule: z
    .object({
      text: z.string(),
      /** Boots / container starts: every target once per instance. */
      starts: z.number().int(),
      bootSeconds: z.number(),
      /** Pause + resume pairs of idle targets (interleaved order). */
      pausePairs: z.number().int(),
      pauseSeconds: z.number(),
    })
    .optional(),
});
export type Preview = z.infer<typeof PreviewSchema>;

/** Request/response schemas per channel. Requests are validated on the Node side. */
export const API = {
  'app:info': { request: Empty, response: AppInfoSchema },
  'doctor:check': {
    request: z.strictObject({ refresh: z.boolean().optional() }),
    response: DoctorReportSchema,
  },
  'experiment:validate': {
    request: z.strictObject({ config: z.unknown() }),
    response: z.object({ valid: z.boolean(), message: z.string().optional() }),
  },
  'experiment:preview': {
    request: z.strictObject({ config: z.unknown() }),
    response: PreviewSchema,
  },
  'run:start': {
    request: z.strictObject({
      config: z.unknown(),
      /** Where it runs (absent: this machine only); with lab hosts, one run over all places. */
      where: RunPlacesSchema.optional(),
    }),
    response: z.object({ runId: z.string(), dir: z.string() }),
  },
  /**
   * "Run N more repetitions" of a finished run: the same targets and config, N more measured
   * repetitions per cell appended to the same run (its samples, cells, summary and findings).
   * Refused with the reason when the run is not finished, was measured elsewhere or its targets
   * cannot run here any more. The run's events follow as for run:start (run:started first).
   */
  'run:more': {
    request: z.strictObject({
      runId: z.string().min(1).max(200),
      repetitions: z.number().int().min(1).max(MAX_MORE_REPETITIONS),
    }),
    response: z.object({ runId: z.string(), dir: z.string() }),
  },
  'run:cancel': { request: RunRef, response: z.object({ cancelled: z.boolean() }) },
  'run:active': {
    request: Empty,
    response: z.object({
      runId: z.string().nullable(),
      /** The active run's name (a run over lab hosts: the experiment's and its places'). */
      name: z.string().optional(),
      platforms: z.array(PlatformId),
      targets: z.array(TargetInfoSchema).optional(),
    }),
  },
  'runs:list': { request: Empty, response: z.array(RunListItemSchema) },
  'runs:get': { request: RunRef, response: RunDetailSchema },
  /** Deletes a run's folder (not while it runs). */
  'runs:delete': { request: RunRef, response: z.object({ deleted: z.boolean() }) },
  /**
   * Writes a run's result bundle (zip) into the app's exports folder and returns its path;
   * the Electron shell copies it to the save-dialog location, web mode serves it for download.
   */
  'runs:export': {
    request: RunRef,
    response: z.object({ file: z.string(), bytes: z.number().int(), downloadName: z.string() }),
  },
  /**
   * Starts a chunked bundle upload (web mode): declares its size; chunks follow in order.
   * The upload belongs to the connection that started it and is discarded when it closes.
   */
  'runs:uploadBegin': {
    request: z.strictObject({
      name: z.string().min(1).max(255),
      bytes: z.number().int().min(1).max(BUNDLE_UPLOAD_MAX_BYTES),
    }),
    response: z.object({ uploadId: z.string(), chunkBytes: z.number().int() }),
  },
  /** Appends one chunk at `offset` (which must equal the bytes received so far). */
  'runs:uploadChunk': {
    request: z.strictObject({
      uploadId: UploadId,
      offset: z.number().int().min(0).max(BUNDLE_UPLOAD_MAX_BYTES),
      dataBase64: z
        .string()
        .min(1)
        .max(UPLOAD_CHUNK_MAX_BASE64)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
    }),
    response: z.object({ received: z.number().int() }),
  },
  /** Abandons an upload and deletes what arrived of it. */
  'runs:uploadCancel': {
    request: z.strictObject({ uploadId: UploadId }),
    response: z.object({ cancelled: z.boolean() }),
  },
  /**
   * Imports a bundle: from a file path (Electron open dialog, CLI) or a finished chunked
   * upload (web mode). Invalid bundles fail with BUNDLE_INVALID and a specific message.
   */
  'runs:import': {
    request: z
      .strictObject({
        file: z.string().min(1).max(4096).optional(),
        uploadId: UploadId.optional(),
      })
      .refine(
        (r) => (r.file === undefined) !== (r.uploadId === undefined),
        'give exactly one of file or uploadId',
      ),
    response: z.object({
      runId: z.string(),
      dir: z.string(),
      originalRunId: z.string(),
      samples: z.number().int(),
    }),
  },
  'console:write': {
    request: z.strictObject({
      runId: z.string(),
      platform: PlatformId,
      /** The target's console (one per target); absent: the platform's live one. */
      target: TargetIdSchema.optional(),
      data: z.string().max(65536),
    }),
    response: z.object({ written: z.boolean() }),
  },
  /** Renderer acknowledges console bytes it has rendered (flow control). */
  'console:ack': {
    request: z.strictObject({
      runId: z.string(),
      platform: PlatformId,
      target: TargetIdSchema.optional(),
      offset: z.number().int(),
    }),
    response: z.object({}),
  },
  /** Console transcript so far (to rebuild a terminal after reconnect). */
  'console:history': {
    request: z.strictObject({
      runId: z.string(),
      platform: PlatformId,
      target: TargetIdSchema.optional(),
    }),
    response: z.object({ data: z.string(), offset: z.number().int() }),
  },
  /** The lab hosts this app knows, each with its last check. */
  'hosts:list': { request: Empty, response: z.array(HostEntrySchema) },
  'hosts:add': { request: HostSchema, response: HostSchema },
  /**
   * Checks a host now (reachable, version, doctor, facts) and keeps the result; a host that
   * fails is a value (ok: false) with the problem in the product's words and its fix.
   */
  'hosts:check': { request: z.strictObject({ name: HostNameSchema }), response: HostCheckSchema },
  'hosts:remove': {
    request: z.strictObject({ name: HostNameSchema }),
    response: z.object({ removed: z.boolean() }),
  },
} as const;

export type Channel = keyof typeof API;
export type Request<C extends Channel> = z.input<(typeof API)[C]['request']>;
export type Response<C extends Channel> = z.infer<(typeof API)[C]['response']>;

/** A run began (sent to every client, so a second window or tab can follow it). */
export const RunStartedEventSchema = z.object({
  runId: z.string(),
  dir: z.string(),
  name: z.string(),
  platforms: z.array(PlatformId),
  /** Every target of the run in run order (one console each); absent from older engines. */
  targets: z.array(TargetInfoSchema).optional(),
  /** Set when a finished run gets this many more repetitions per cell (run:more). */
  more: z.number().int().optional(),
});
export type RunStartedEvent = z.infer<typeof RunStartedEventSchema>;

/** Events pushed from main to renderer. */
export const EVENTS = {
  'run:started': RunStartedEventSchema,
  'run:progress': ProgressEventSchema,
  'run:sample': SampleSchema,
  'run:log': LogEventSchema,
  'run:finished': FinishedEventSchema,
  'console:data': ConsoleDataEventSchema,
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

/** What the renderer sees, whichever transport is underneath. */
export interface BenchvisorApi {
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The Node-side implementation of every channel (a service, bound by IPC or WebSocket). */
export type ApiHandlers = {
  [C in Channel]: (request: z.infer<(typeof API)[C]['request']>) => Promise<Result<Response<C>>>;
};

export const CHANNELS = Object.keys(API) as Channel[];
export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(API, name);
}
