/**
 * Keyboard input typed into a target's console while one of its measured repetitions runs:
 * counted from the repetition's start to its end and recorded in that sample's meta
 * (`consoleInput`), so the findings can name the repetitions whose time may include it.
 * Input between repetitions, during warmups or while a guest boots is not counted.
 */
import type { ConsoleInputMeta } from '../../shared/findings/consoleInput';

interface Watch {
  startedMs: number;
  tally: ConsoleInputMeta | null;
}

export class ConsoleInputWatch {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly monotonicMs: () => number) {}

  /** A measured repetition of this target starts now. */
  begin(target: string): void {
    this.watches.set(target, { startedMs: this.monotonicMs(), tally: null });
  }

  /** Input reached this target's console (counted only while a repetition is watched). */
  typed(target: string, data: string): void {
    const w = this.watches.get(target);
    if (!w) return;
    const atMs = Math.round(this.monotonicMs() - w.startedMs);
    const bytes = Buffer.byteLength(data);
    if (w.tally === null) w.tally = { bytes, writes: 1, firstAtMs: atMs, lastAtMs: atMs };
    else {
      w.tally.bytes += bytes;
      w.tally.writes += 1;
      w.tally.lastAtMs = atMs;
    }
  }

  /** The repetition ended: what was typed during it, or null when nothing was. */
  end(target: string): ConsoleInputMeta | null {
    const w = this.watches.get(target);
    this.watches.delete(target);
    return w?.tally ?? null;
  }
}
