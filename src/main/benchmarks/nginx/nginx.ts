/**
 * The nginx benchmark runner: the platform starts nginx (a service spec)
 * serving a generated file, the host fetches it `requests` times over `connections` keep-alive
 * connections (runHttpLoad), then nginx is stopped. Failures become an
 * outcome with `error`; run() never throws for them.
 */
import type { ParamValues } from '../../../shared/catalogue';
import type { Availability } from '../../../shared/platforms';
import type { Result } from '../../../shared/result';
import type { ServiceHandle } from '../../session/service';
import type { PlatformSession, ToolVersionCommand } from '../../session/types';
import type { BenchmarkRunner, RepetitionOptions, RepetitionOutcome } from '../types';
import { runHttpLoad, type HttpLoadOptions, type HttpLoadReport } from './httpLoad';
import { findNginx, locateNginx, nginxService } from './nginxService';

export type HttpLoadFn = (opts: HttpLoadOptions) => Promise<Result<HttpLoadReport>>;

export interface NginxRunnerDeps {
  /** The load generator (default runHttpLoad); replaceable for unit tests. */
  httpLoad?: HttpLoadFn;
  /** Environment to find nginx in (PATH; default process.env). */
  env?: NodeJS.ProcessEnv;
}

const PARAM_KEYS = ['fileSize', 'requests', 'connections'] as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class NginxBenchmarkRunner implements BenchmarkRunner {
  readonly id = 'nginx' as const;
  private readonly httpLoad: HttpLoadFn;
  private readonly env: NodeJS.ProcessEnv;

  constructor(deps: NginxRunnerDeps = {}) {
    this.httpLoad = deps.httpLoad ?? runHttpLoad;
    this.env = deps.env ?? process.env;
  }

  /** The host's nginx (the one every platform runs: payloads copy it from the host). */
  get tools(): readonly ToolVersionCommand[] {
    return [{ name: 'nginx', argv: [locateNginx(this.env) ?? 'nginx', '-v'] }];
  }

  /** nginx must be installed on the host (natively it runs there; payloads copy it from there). */
  check(): Promise<Availability> {
    return findNginx(this.env);
  }

  async run(
    session: PlatformSession,
    params: ParamValues,
    opts: RepetitionOptions,
  ): Promise<RepetitionOutcome> {
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    const failed = (error: string): RepetitionOutcome => ({
      metrics: {},
      exitCode: null,
      durationMs: elapsed(),
      error,
    });
    for (const key of PARAM_KEYS) {
      const v = params[key];
      if (v === undefined || !Number.isInteger(v) || v < 1)
        return failed(`nginx: parameter "${key}" must be a positive integer`);
    }
    const fileSize = params.fileSize as number;
    const requests = params.requests as number;
    const connections = params.connections as number;
    if (opts.signal.aborted)
      return failed('CANCELLED: the repetition was cancelled before it started');

    let handle: ServiceHandle;
    try {
      handle = await session.startService(nginxService(fileSize, this.env), opts.signal);
    } catch (e) {
      return failed(`nginx did not start: ${message(e)}`);
    }
    let load: Result<HttpLoadReport>;
    try {
      load = await this.httpLoad({
        url: handle.url,
        requests,
        connections,
        expectedBytesPerResponse: fileSize,
        timeoutMs: Math.max(1, opts.timeoutMs - elapsed()),
        signal: opts.signal,
      });
    } catch (e) {
      load = { ok: false, error: { code: 'INTERNAL', message: message(e) } };
    } finally {
      await handle.stop().catch(() => undefined);
    }
    if (!load.ok) return failed(`${load.error.code}: ${load.error.message}`);
    const r = load.value;
    return {
      metrics: { totalMs: r.totalMs, mbps: r.mbps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, bytes: r.bytes },
      exitCode: 0,
      durationMs: elapsed(),
    };
  }
}
