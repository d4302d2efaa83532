/**
 * Flow control for one console stream towards one client (window or browser tab).
 *
 * Output is batched (a message at most every BATCH_INTERVAL_MS or once BATCH_MAX_BYTES are
 * waiting) and forwarding pauses while the client has more than HIGH_WATERMARK_BYTES it has
 * not acknowledged (console:ack, sent after xterm rendered the data), resuming once it has
 * caught up below LOW_WATERMARK_BYTES. Nothing is dropped: paused data waits here.
 * Offsets count UTF-8 bytes of the stream since the run started.
 */

/** Longest a chunk waits before it is sent (one display frame). */
export const BATCH_INTERVAL_MS = 16;
/** Send at once when this much is waiting; also the largest message. */
export const BATCH_MAX_BYTES = 64 * 1024;
/** Stop forwarding when the client is this far behind... */
export const HIGH_WATERMARK_BYTES = 512 * 1024;
/** ...and resume once it is at most this far behind. */
export const LOW_WATERMARK_BYTES = 128 * 1024;

export interface FlowOptions {
  batchIntervalMs: number;
  batchMaxBytes: number;
  highWatermark: number;
  lowWatermark: number;
}

export const DEFAULT_FLOW_OPTIONS: FlowOptions = {
  batchIntervalMs: BATCH_INTERVAL_MS,
  batchMaxBytes: BATCH_MAX_BYTES,
  highWatermark: HIGH_WATERMARK_BYTES,
  lowWatermark: LOW_WATERMARK_BYTES,
};

/** Timer functions, passed in so tests can drive time by hand. */
export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** UTF-8 byte length of a string. */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Splits a long string into pieces of at most `maxUnits` UTF-16 units without cutting a surrogate pair. */
export function splitString(s: string, maxUnits: number): string[] {
  if (s.length <= maxUnits) return [s];
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(i + maxUnits, s.length);
    const last = s.charCodeAt(end - 1);
    if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

interface Piece {
  data: string;
  bytes: number;
}

export class ConsoleFlow {
  /** Queue of waiting pieces; `head` is the first unsent one (compacted as it drains). */
  private pending: Piece[] = [];
  private head = 0;
  private pendingBytes = 0;
  private sentOffset: number;
  private ackedOffset: number;
  private paused = false;
  private timer: unknown = null;
  private disposed = false;

  constructor(
    /** Delivers one batch; `endOffset` is the stream offset just after it. */
    private readonly send: (data: string, endOffset: number) => void,
    startOffset = 0,
    private readonly opts: FlowOptions = DEFAULT_FLOW_OPTIONS,
    private readonly scheduler: Scheduler = realScheduler,
  ) {
    this.sentOffset = startOffset;
    this.ackedOffset = startOffset;
  }

  /** Queues console output (its UTF-8 byte length given by the caller, who counts it anyway). */
  push(data: string, bytes: number = utf8Bytes(data)): void {
    if (this.disposed || data.length === 0) return;
    // A piece never exceeds one message: one UTF-16 unit is at most 3 UTF-8 bytes.
    if (bytes > this.opts.batchMaxBytes) {
      for (const part of splitString(data, Math.max(1, Math.floor(this.opts.batchMaxBytes / 3)))) {
        this.pending.push({ data: part, bytes: utf8Bytes(part) });
      }
    } else {
      this.pending.push({ data, bytes });
    }
    this.pendingBytes += bytes;
    if (this.paused) return;
    if (this.pendingBytes >= this.opts.batchMaxBytes) this.flush();
    else if (this.timer === null) {
      this.timer = this.scheduler.set(() => {
        this.timer = null;
        this.flush();
      }, this.opts.batchIntervalMs);
    }
  }

  /** The client has rendered everything up to `offset`. */
  ack(offset: number): void {
    if (this.disposed || offset <= this.ackedOffset) return;
    this.ackedOffset = Math.min(offset, this.sentOffset);
    if (this.paused && this.unacked <= this.opts.lowWatermark) {
      this.paused = false;
      this.flush();
    }
  }

  /** Forget queued data and continue from `offset` (the client just loaded the history up to it). */
  resetTo(offset: number): void {
    this.cancelTimer();
    this.pending = [];
    this.head = 0;
    this.pendingBytes = 0;
    this.sentOffset = offset;
    this.ackedOffset = offset;
    this.paused = false;
  }

  get unacked(): number {
    return this.sentOffset - this.ackedOffset;
  }

  get state(): { pendingBytes: number; unacked: number; paused: boolean; sentOffset: number } {
    return {
      pendingBytes: this.pendingBytes,
      unacked: this.unacked,
      paused: this.paused,
      sentOffset: this.sentOffset,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending = [];
    this.head = 0;
    this.pendingBytes = 0;
  }

  /** Sends waiting batches until nothing is left or the client is too far behind. */
  private flush(): void {
    this.cancelTimer();
    while (this.head < this.pending.length && !this.paused && !this.disposed) {
      const parts: string[] = [];
      let bytes = 0;
      while (this.head < this.pending.length) {
        const next = this.pending[this.head]!;
        if (parts.length > 0 && bytes + next.bytes > this.opts.batchMaxBytes) break;
        parts.push(next.data);
        bytes += next.bytes;
        this.head++;
      }
      if (this.head === this.pending.length) {
        this.pending = [];
        this.head = 0;
      } else if (this.head > 1024) {
        this.pending = this.pending.slice(this.head);
        this.head = 0;
      }
      this.pendingBytes -= bytes;
      this.sentOffset += bytes;
      this.send(parts.join(''), this.sentOffset);
      if (this.unacked >= this.opts.highWatermark) this.paused = true;
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.scheduler.clear(this.timer);
      this.timer = null;
    }
  }
}
