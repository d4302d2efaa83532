/**
 * The console output of the current (or last) run per target: a bounded tail kept in memory so
 * a window that (re)connects can rebuild its terminal, and the byte offset the engine gave the
 * last chunk (never counted here). The full transcript is in the run folder
 * (consoles/<target>.log, written by the engine).
 */
import { utf8Bytes } from './consoleFlow';

/** Tail of each console kept in memory for console:history. */
export const HISTORY_MAX_BYTES = 2 * 1024 * 1024;

interface Stream {
  offset: number;
  chunks: { data: string; bytes: number }[];
  keptBytes: number;
}

export class ConsoleHistory {
  private runId: string | null = null;
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly maxBytes: number = HISTORY_MAX_BYTES) {}

  /** Starts a new run: the previous run's consoles are forgotten. */
  reset(runId: string): void {
    this.runId = runId;
    this.streams.clear();
  }

  /** Appends a chunk that ends at the engine's `endOffset`; returns its byte length. */
  append(stream: string, data: string, endOffset: number): { bytes: number; offset: number } {
    const s = this.stream(stream);
    // The engine counted the chunk; its length here is only a fallback for an offset gone back.
    const bytes = endOffset > s.offset ? endOffset - s.offset : utf8Bytes(data);
    s.offset = Math.max(endOffset, s.offset + bytes);
    s.chunks.push({ data, bytes });
    s.keptBytes += bytes;
    while (s.keptBytes > this.maxBytes && s.chunks.length > 1) {
      s.keptBytes -= s.chunks.shift()!.bytes;
    }
    return { bytes, offset: s.offset };
  }

  has(runId: string): boolean {
    return this.runId === runId;
  }

  /** The kept tail and the offset it ends at (null when the run is not the current one). */
  get(
    runId: string,
    platform: string,
  ): { data: string; offset: number; truncated: boolean } | null {
    if (this.runId !== runId) return null;
    const s = this.stream(platform);
    return {
      data: s.chunks.map((c) => c.data).join(''),
      offset: s.offset,
      truncated: s.keptBytes < s.offset,
    };
  }

  private stream(platform: string): Stream {
    let s = this.streams.get(platform);
    if (!s) {
      s = { offset: 0, chunks: [], keptBytes: 0 };
      this.streams.set(platform, s);
    }
    return s;
  }
}
