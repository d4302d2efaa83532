/**
 * The load client's ceiling: before a run's first nginx repetition with given parameters, the
 * same load (file size, requests, connections) against the same file served by nginx on this
 * host, directly on loopback. No platform can show more throughput through the same client on
 * the same host, so every nginx sample carries this figure (meta.loadCeiling) and the findings
 * say when a platform's figure came close to it (shared/findings/loadCeiling.ts).
 *
 * Measured once per run and parameter set (beginRun() forgets the earlier run's figures), as
 * the best of CEILING_REPS loads: a ceiling is the most the client reached.
 */
import type { LoadCeilingRecord } from '../../../shared/findings/loadCeiling';
import type { ServiceHandle, ServiceSpec } from '../../session/service';
import type { HttpLoadFn, HttpLoadReport } from './httpLoad';
import type { ServerCpuSampler } from './serverCpu';

/** Loads against the host's nginx per ceiling; the best one counts. */
export const CEILING_REPS = 3;

export interface LoadParams {
  fileSize: number;
  requests: number;
  connections: number;
}

export interface LoadCeilingDeps {
  /** Starts a service on this host (the native platform's way), reachable on loopback. */
  startHostService: (spec: ServiceSpec, signal?: AbortSignal) => Promise<ServiceHandle>;
  /** The benchmark's nginx service for a file size. */
  service: (fileSize: number) => ServiceSpec;
  httpLoad: HttpLoadFn;
  serverCpu?: ServerCpuSampler;
  reps?: number;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

export class LoadCeiling {
  private readonly measured = new Map<string, Promise<LoadCeilingRecord>>();

  constructor(private readonly deps: LoadCeilingDeps) {}

  /** A new run: its ceilings are measured again (the host may have changed). */
  reset(): void {
    this.measured.clear();
  }

  /** The ceiling for these parameters, measured now if this run has none yet. */
  get(params: LoadParams, signal: AbortSignal, timeoutMs: number): Promise<LoadCeilingRecord> {
    const key = `${params.fileSize}/${params.requests}/${params.connections}`;
    let found = this.measured.get(key);
    if (!found) {
      found = this.measure(params, signal, timeoutMs);
      this.measured.set(key, found);
      // a cancelled or failed measurement is not kept: the next repetition tries again
      void found.then((r) => {
        if ('error' in r) this.measured.delete(key);
      });
    }
    return found;
  }

  private async measure(
    params: LoadParams,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<LoadCeilingRecord> {
    const started = performance.now();
    let handle: ServiceHandle;
    try {
      handle = await this.deps.startHostService(this.deps.service(params.fileSize), signal);
    } catch (e) {
      return { error: `the host's nginx for the ceiling did not start: ${message(e)}` };
    }
    const loads: { report: HttpLoadReport; serverCpuPercent: number | null }[] = [];
    try {
      for (let i = 0; i < (this.deps.reps ?? CEILING_REPS); i++) {
        const left = timeoutMs - (performance.now() - started);
        if (left <= 0 || signal.aborted) break;
        const probe = this.deps.serverCpu?.begin({});
        const r = await this.deps.httpLoad({
          url: handle.url,
          requests: params.requests,
          connections: params.connections,
          expectedBytesPerResponse: params.fileSize,
          timeoutMs: left,
          signal,
        });
        if (!r.ok) return { error: `the ceiling load failed: ${r.error.message}` };
        loads.push({ report: r.value, serverCpuPercent: probe?.end() ?? null });
      }
    } finally {
      await handle.stop().catch(() => undefined);
    }
    const best = loads.reduce<(typeof loads)[number] | null>(
      (a, b) => (a === null || b.report.mbps > a.report.mbps ? b : a),
      null,
    );
    if (!best) return { error: 'the ceiling load was cancelled or ran out of time' };
    return {
      mbps: r2(best.report.mbps),
      totalMs: r2(best.report.totalMs),
      p50Ms: best.report.p50Ms,
      clientCpuPercent: r2(best.report.clientCpuPercent),
      serverCpuPercent: best.serverCpuPercent,
      reps: loads.length,
      allMbps: loads.map((l) => r2(l.report.mbps)),
      server: 'host nginx on loopback',
    };
  }
}
