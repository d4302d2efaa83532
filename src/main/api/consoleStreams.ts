/**
 * The consoles of the current run towards the connected clients: the kept tail of each target's
 * stream (console:history) and, per client and stream, its flow control (consoleFlow.ts). A
 * chunk comes from the engine with the byte offset of its end (runEngine.ts); that offset is
 * what the tail records and what clients acknowledge.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/api';
import type { PlatformId } from '../../shared/platforms';
import type { ConsoleDataEvent } from '../../shared/run';
import { ConsoleFlow, DEFAULT_FLOW_OPTIONS, realScheduler } from './consoleFlow';
import type { FlowOptions, Scheduler } from './consoleFlow';
import { ConsoleHistory, HISTORY_MAX_BYTES } from './consoleHistory';
import { withoutProtocolLines } from '../../shared/consoleFilter';

/** Where a connection's events go. */
export interface EventSink {
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** A client as the consoles see it: where its events go and its flow per stream. */
export interface ConsoleClient {
  sink: EventSink;
  /** Flow per console stream of the current run, keyed by target (the platform id when nothing varies). */
  flows: Map<string, ConsoleFlow>;
}

export interface ConsoleOptions {
  flow?: FlowOptions;
  scheduler?: Scheduler;
}

export class ConsoleStreams {
  private readonly history = new ConsoleHistory();
  private runId: string | null = null;

  constructor(
    private readonly clients: () => Iterable<ConsoleClient>,
    private readonly options: ConsoleOptions = {},
  ) {}

  /** The run whose consoles these are; a new run forgets the previous one's streams. */
  begin(runId: string): void {
    if (this.runId === runId) return;
    this.runId = runId;
    this.history.reset(runId);
    for (const c of this.clients()) this.drop(c);
  }

  /** A chunk from the engine: kept in the tail and queued for every client. */
  data(e: ConsoleDataEvent): void {
    if (e.runId !== this.runId || e.data.length === 0) return;
    const stream = e.target ?? e.platform;
    const { bytes } = this.history.append(stream, e.data, e.offset);
    // A flow made now starts where this chunk does: its offsets are the engine's.
    for (const c of this.clients())
      this.flowFor(c, e.runId, e.platform, stream, e.offset - bytes).push(e.data, bytes);
  }

  /** The client rendered the stream up to `offset`; returns the offset every client has reached. */
  ack(client: ConsoleClient, runId: string, stream: string, offset: number): number | null {
    if (this.runId !== runId) return null;
    client.flows.get(stream)?.ack(offset);
    let reached: number | null = null;
    for (const c of this.clients()) {
      const f = c.flows.get(stream)?.state;
      if (!f) continue;
      const acked = f.sentOffset - f.unacked;
      reached = reached === null ? acked : Math.min(reached, acked);
    }
    return reached;
  }

  /**
   * The stream so far for a client rebuilding its terminal: the kept tail of the current run
   * (the client then receives only what follows it), else the end of the transcript in `runDir`.
   */
  async historyFor(
    client: ConsoleClient,
    req: { runId: string; platform: PlatformId; stream: string },
    runDir: () => Promise<string | null>,
  ): Promise<{ data: string; offset: number } | null> {
    const kept = this.history.get(req.runId, req.stream);
    if (kept) {
      this.flowFor(client, req.runId, req.platform, req.stream, kept.offset).resetTo(kept.offset);
      return { data: kept.data, offset: kept.offset };
    }
    const dir = await runDir();
    if (dir === null) return null;
    // A past run's transcript, as its console showed it (without the protocol lines).
    const raw = await readTail(join(dir, 'consoles', `${req.stream}.log`), HISTORY_MAX_BYTES);
    const data = withoutProtocolLines(raw);
    return { data, offset: Buffer.byteLength(data, 'utf8') };
  }

  /** Forgets a client's flows (it closed, or a new run began). */
  drop(client: ConsoleClient): void {
    for (const f of client.flows.values()) f.dispose();
    client.flows.clear();
  }

  private flowFor(
    client: ConsoleClient,
    runId: string,
    platform: PlatformId,
    stream: string,
    startOffset: number,
  ): ConsoleFlow {
    let flow = client.flows.get(stream);
    if (!flow) {
      flow = new ConsoleFlow(
        (data, offset) =>
          client.sink.send('console:data', {
            runId,
            platform,
            ...(stream !== platform ? { target: stream } : {}),
            data,
            offset,
          }),
        startOffset,
        this.options.flow ?? DEFAULT_FLOW_OPTIONS,
        this.options.scheduler ?? realScheduler,
      );
      client.flows.set(stream, flow);
    }
    return flow;
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
