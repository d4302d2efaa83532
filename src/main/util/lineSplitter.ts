/**
 * Splits a byte stream into lines under a length cap. A line longer than the cap is never held
 * in memory: its bytes are dropped up to the next newline and it is reported as oversized, so a
 * peer that never sends a newline costs at most `maxLineBytes`.
 */
export type LineEvent = { line: string } | { oversized: number };

export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  /** Bytes of an oversized line dropped so far (0: not inside one). */
  private dropping = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (e: LineEvent) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.dropping > 0 || this.held + piece.length > this.maxLineBytes) {
      this.dropping += this.held + piece.length;
      this.parts = [];
      this.held = 0;
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.held += piece.length;
  }

  private finishLine(): void {
    if (this.dropping > 0) {
      const bytes = this.dropping;
      this.dropping = 0;
      this.onLine({ oversized: bytes });
      return;
    }
    const line = Buffer.concat(this.parts, this.held).toString('utf8');
    this.parts = [];
    this.held = 0;
    this.onLine({ line: line.endsWith('\r') ? line.slice(0, -1) : line });
  }
}
