/**
 * The host side of the nginx benchmark: fetch one URL a fixed number of times
 * over keep-alive connections with autocannon, in a worker thread so the load
 * generator's event loop does not compete with the runner's. Verifies that
 * exactly requests x expected bytes of body arrived.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { err, ok, type Result } from '../../../shared/result';

export interface HttpLoadOptions {
  /** Must be a loopback URL (127.0.0.0/8 or ::1): we never load anything else. */
  url: string;
  requests: number;
  connections: number;
  /** Body size every response must have (the served file's size). */
  expectedBytesPerResponse: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpLoadReport {
  /** Wall time from opening the connections to the last complete response. */
  totalMs: number;
  /** Body megabytes (10^6 bytes) per second over totalMs. */
  mbps: number;
  p50Ms: number;
  p99Ms: number;
  /** Body bytes received in complete 2xx responses. */
  bytes: number;
  /** Responses that were complete. */
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Seconds autocannon waits for one response before counting a timeout. */
const PER_REQUEST_TIMEOUT_S = 30;

/** autocannon's sampling tick; it notices the end of the load only on a tick. */
const SAMPLE_INTERVAL_MS = 50;

/** What the worker sends back. */
interface WorkerReply {
  error?: string;
  totalMs?: number;
  bodyBytes?: number;
  responses?: number;
  ok2xx?: number;
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  p50?: number;
  p99?: number;
}

/**
 * The worker (CommonJS, evaluated from this string so it works the same under
 * Node, tsx, vitest and a bundled Electron main). Body bytes are counted from
 * each completed response's Content-Length: autocannon's own byte counts
 * include headers, and it only completes a response once the whole body arrived.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannonPath);
let bodyBytes = 0, responses = 0, ok2xx = 0;
const latencies = [];
let lastResponseAt = 0n;
function contentLength(headers) {
  for (let i = 0; i + 1 < headers.length; i += 2)
    if (String(headers[i]).toLowerCase() === 'content-length') return Number(headers[i + 1]);
  return 0;
}
// nearest-rank percentile of the response times (ms)
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function setupClient(client) {
  let pending = 0;
  client.on('headers', (h) => { pending = contentLength((h && h.headers) || []); });
  client.on('response', (status, _bytes, responseTimeMs) => {
    responses++;
    latencies.push(responseTimeMs);
    lastResponseAt = process.hrtime.bigint();
    if (status >= 200 && status < 300) { ok2xx++; bodyBytes += pending; }
    pending = 0;
  });
}
const started = process.hrtime.bigint();
autocannon({
  url: workerData.url,
  connections: workerData.connections,
  amount: workerData.requests,
  pipelining: 1,
  sampleInt: workerData.sampleIntervalMs,
  timeout: workerData.perRequestTimeoutS,
  setupClient,
}, (error, result) => {
  // autocannon reports on its next sample tick; the load really ended with the last response
  const totalMs = Number((lastResponseAt || process.hrtime.bigint()) - started) / 1e6;
  if (error) { parentPort.postMessage({ error: String(error && error.message || error) }); return; }
  latencies.sort((a, b) => a - b);
  parentPort.postMessage({
    totalMs, bodyBytes, responses, ok2xx,
    non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99),
  });
});
`;

/** Only loopback targets are allowed (this machine's own servers). */
function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return (
      host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
    );
  } catch {
    return false;
  }
}

function checkOptions(o: HttpLoadOptions): string | null {
  if (!isLoopbackUrl(o.url)) return `load target must be a loopback http URL, got "${o.url}"`;
  if (!Number.isInteger(o.requests) || o.requests < 1)
    return `requests must be a positive integer, got ${o.requests}`;
  if (!Number.isInteger(o.connections) || o.connections < 1) {
    return `connections must be a positive integer, got ${o.connections}`;
  }
  if (!Number.isInteger(o.expectedBytesPerResponse) || o.expectedBytesPerResponse < 0) {
    return `expectedBytesPerResponse must be a non-negative integer, got ${o.expectedBytesPerResponse}`;
  }
  if (!(o.timeoutMs > 0)) return `timeoutMs must be positive, got ${o.timeoutMs}`;
  return null;
}

/** Runs the load; a transfer that is not exactly requests x size comes back as an error. */
export async function runHttpLoad(opts: HttpLoadOptions): Promise<Result<HttpLoadReport>> {
  const bad = checkOptions(opts);
  if (bad) return err('INVALID_INPUT', bad);
  if (opts.signal?.aborted) return err('CANCELLED', 'the load was cancelled before it started');
  const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      autocannonPath,
      url: opts.url,
      connections: Math.min(opts.connections, opts.requests),
      requests: opts.requests,
      perRequestTimeoutS: PER_REQUEST_TIMEOUT_S,
      sampleIntervalMs: SAMPLE_INTERVAL_MS,
    },
  });
  const reply = await new Promise<WorkerReply | { ended: 'timeout' | 'cancelled' }>((done) => {
    const timer = setTimeout(() => done({ ended: 'timeout' }), opts.timeoutMs);
    const onAbort = (): void => done({ ended: 'cancelled' });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (r: WorkerReply): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      done(r);
    };
    worker.once('message', (m: WorkerReply) => finish(m));
    worker.once('error', (e: unknown) =>
      finish({ error: e instanceof Error ? e.message : String(e) }),
    );
    worker.once('exit', (code) =>
      finish({ error: `load worker exited (code ${code}) without a result` }),
    );
  });
  await worker.terminate();
  if ('ended' in reply) {
    return reply.ended === 'timeout'
      ? err('TIMEOUT', `the HTTP load did not finish within ${opts.timeoutMs} ms`)
      : err('CANCELLED', 'the HTTP load was cancelled');
  }
  if (reply.error !== undefined) return err('BENCHMARK_FAILED', `HTTP load failed: ${reply.error}`);
  const report: HttpLoadReport = {
    totalMs: reply.totalMs ?? 0,
    mbps: 0,
    p50Ms: reply.p50 ?? 0,
    p99Ms: reply.p99 ?? 0,
    bytes: reply.bodyBytes ?? 0,
    responses: reply.responses ?? 0,
    non2xx: reply.non2xx ?? 0,
    errors: reply.errors ?? 0,
    timeouts: reply.timeouts ?? 0,
  };
  report.mbps = report.totalMs > 0 ? report.bytes / 1e6 / (report.totalMs / 1000) : 0;
  const expected = opts.requests * opts.expectedBytesPerResponse;
  if (report.bytes !== expected || (reply.ok2xx ?? 0) !== opts.requests) {
    return err(
      'BENCHMARK_FAILED',
      `expected ${opts.requests} responses of ${opts.expectedBytesPerResponse} bytes (${expected} bytes) but got ` +
        `${reply.ok2xx ?? 0} good responses with ${report.bytes} bytes (non-2xx ${report.non2xx}, errors ${report.errors}, timeouts ${report.timeouts})`,
      report,
    );
  }
  return ok(report);
}
