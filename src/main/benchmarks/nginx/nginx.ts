/**
 * The nginx benchmark runner: the platform starts nginx (a service spec) serving a generated
 * file, the host's load client fetches it `requests` times over `connections` keep-alive
 * connections (httpLoad.ts), then nginx is stopped. Before the run's first repetition with
 * these parameters the client's ceiling is measured against the host's own nginx
 * (loadCeiling.ts); every sample carries it (meta.loadCeiling) and the CPU both sides used
 * during its load (meta.loadCpu). Failures become an outcome with `error`; run() never throws.
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import type { ParamValues } from '../../../shared/catalogue';
import type { LoadCpu } from '../../../shared/findings/loadCeiling';
import type { Availability } from '../../../shared/platforms';
import type { Result } from '../../../shared/result';
import type { ServiceHandle } from '../../session/service';
import type { PlatformSession, ToolVersionCommand } from '../../session/types';
import type { BenchmarkRunner, RepetitionOptions, RepetitionOutcome } from '../types';
import {
  LOAD_CLIENT_NAME,
  loadClientAvailable,
  type HttpLoadFn,
  type HttpLoadReport,
} from './httpLoad';
import type { LoadCeiling, LoadParams } from './loadCeiling';
import { findNginx, locateNginx, nginxService } from './nginxService';
import type { ServerCpuSampler } from './serverCpu';

export type { HttpLoadFn } from './httpLoad';

export interface NginxRunnerDeps {
  /** The load generator (createHttpLoad bound to the built client). */
  httpLoad: HttpLoadFn;
  /** The client binary, checked by check() (absent: not checked, e.g. a unit test's fake load). */
  clientPath?: string;
  /** Measures the client's ceiling against the host's nginx (absent: no ceiling in meta). */
  ceiling?: LoadCeiling;
  /** The server side's CPU during each load (absent: serverPercent null). */
  serverCpu?: ServerCpuSampler;
  /** Environment to find nginx in (PATH; default process.env). */
  env?: NodeJS.ProcessEnv;
}

const PARAM_KEYS = ['fileSize', 'requests', 'connections'] as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The port of a service URL (for the server CPU probe's docker-proxy match). */
function portOf(url: string): number | undefined {
  try {
    const port = Number(new URL(url).port);
    return port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** The params as numbers, or the message naming the bad one. */
function loadParams(params: ParamValues): LoadParams | string {
  for (const key of PARAM_KEYS) {
    const v = params[key];
    if (v === undefined || !Number.isInteger(v) || v < 1)
      return `nginx: parameter "${key}" must be a positive integer`;
  }
  return {
    fileSize: params.fileSize as number,
    requests: params.requests as number,
    connections: params.connections as number,
  };
}

export class NginxBenchmarkRunner implements BenchmarkRunner {
  readonly id = 'nginx' as const;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly deps: NginxRunnerDeps) {
    this.env = deps.env ?? process.env;
  }

  /** The host's nginx (the one every platform runs: payloads copy it from the host). */
  get tools(): readonly ToolVersionCommand[] {
    return [{ name: 'nginx', argv: [locateNginx(this.env) ?? 'nginx', '-v'] }];
  }

  /** nginx must be installed on the host, and our load client built. */
  async check(): Promise<Availability> {
    const nginx = await findNginx(this.env);
    if (!nginx.available || this.deps.clientPath === undefined) return nginx;
    const client = await loadClientAvailable(this.deps.clientPath);
    return client.available
      ? { available: true, details: { ...nginx.details, ...client.details } }
      : client;
  }

  /** A new run: the client's ceiling is measured again before its first nginx repetition. */
  beginRun(): void {
    this.deps.ceiling?.reset();
  }

  async run(
    session: PlatformSession,
    params: ParamValues,
    opts: RepetitionOptions,
  ): Promise<RepetitionOutcome> {
    const budgetStart = performance.now();
    const p = loadParams(params);
    const failed = (error: string, started = budgetStart): RepetitionOutcome => ({
      metrics: {},
      exitCode: null,
      durationMs: performance.now() - started,
      error,
    });
    if (typeof p === 'string') return failed(p);
    if (opts.signal.aborted)
      return failed('CANCELLED: the repetition was cancelled before it started');
    const ceiling = this.deps.ceiling
      ? await this.deps.ceiling.get(p, opts.signal, opts.timeoutMs)
      : undefined;
    const left = (): number => Math.max(1, opts.timeoutMs - (performance.now() - budgetStart));
    const started = performance.now();
    const meta: SampleMetaFields = ceiling ? { loadCeiling: ceiling } : {};

    let handle: ServiceHandle;
    try {
      handle = await session.startService(nginxService(p.fileSize, this.env), opts.signal);
    } catch (e) {
      return { ...failed(`nginx did not start: ${message(e)}`, started), meta };
    }
    const { load, serverPercent } = await this.load(session, handle, p, opts.signal, left());
    if (!load.ok) return { ...failed(`${load.error.code}: ${load.error.message}`, started), meta };
    const r = load.value;
    const loadCpu: LoadCpu = { clientPercent: r.clientCpuPercent, serverPercent };
    return {
      metrics: {
        totalMs: r.totalMs,
        mbps: r.mbps,
        p50Ms: r.p50Ms,
        p90Ms: r.p90Ms,
        p99Ms: r.p99Ms,
        maxMs: r.maxMs,
        bytes: r.bytes,
      },
      exitCode: 0,
      durationMs: performance.now() - started,
      meta: { ...meta, loadCpu, loadClient: LOAD_CLIENT_NAME },
    };
  }

  /** One load against the running service (stopped afterwards either way), with the server's CPU. */
  private async load(
    session: PlatformSession,
    handle: ServiceHandle,
    p: LoadParams,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<{ load: Result<HttpLoadReport>; serverPercent: number | null }> {
    let serverPercent: number | null = null;
    try {
      const facts = this.deps.serverCpu ? await session.meta().catch(() => ({})) : {};
      const containerId = (facts as { containerId?: unknown }).containerId;
      const probe = this.deps.serverCpu?.begin({
        ...(typeof containerId === 'string' ? { containerId } : {}),
        ...(portOf(handle.url) !== undefined ? { port: portOf(handle.url) } : {}),
      });
      const load = await this.deps.httpLoad({
        url: handle.url,
        requests: p.requests,
        connections: p.connections,
        expectedBytesPerResponse: p.fileSize,
        timeoutMs,
        signal,
      });
      serverPercent = probe?.end() ?? null;
      return { load, serverPercent };
    } catch (e) {
      return {
        load: { ok: false, error: { code: 'INTERNAL', message: message(e) } },
        serverPercent,
      };
    } finally {
      await handle.stop().catch(() => undefined);
    }
  }
}
