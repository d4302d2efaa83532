/**
 * Hides the benchmarks' protocol lines (`@@BENCHVISOR {json}`, the one result line each prints)
 * from console output a person reads: live consoles and the consoles of past runs. The
 * transcripts on disk keep them (the engine writes the raw stream there). Output comes in
 * chunks cut anywhere, so the filter keeps state: a marker split across two chunks is still
 * found, and a line being hidden stays hidden until its end in a later chunk. Pure.
 */

/** What starts a protocol line (benchmarks print it on stdout, src/main/benchmarks/resultLine.ts). */
export const PROTOCOL_MARKER = '@@BENCHVISOR';

export class ProtocolLineFilter {
  /** Text held back because it may be the start of a marker ("@@BENCH" at a chunk's end). */
  private held = '';
  /** Inside a protocol line: everything up to its newline is dropped. */
  private hiding = false;
  /** The hidden line began at the start of a line (then its newline goes too). */
  private hidingWholeLine = false;
  /** The last character passed on ended a line (the stream's start counts as one). */
  private atLineStart = true;

  constructor(private readonly marker: string = PROTOCOL_MARKER) {}

  /** The part of this chunk a person should see (may hold back a possible marker's start). */
  push(chunk: string): string {
    let text = this.held + chunk;
    this.held = '';
    let out = '';
    while (text.length > 0) {
      if (this.hiding) {
        const nl = text.indexOf('\n');
        if (nl < 0) return out; // the rest of this chunk is part of the hidden line
        this.hiding = false;
        // A line of its own goes with its newline; text before the marker keeps its line break.
        if (!this.hidingWholeLine) out += this.pass('\r\n');
        text = text.slice(nl + 1);
        continue;
      }
      const at = text.indexOf(this.marker);
      if (at >= 0) {
        // Carriage returns right before the marker do not make it part of a line's text.
        const before = text.slice(0, at).replace(/\r+$/, '');
        const wholeLine = before === '' ? this.atLineStart : before.endsWith('\n');
        out += this.pass(before);
        this.hiding = true;
        this.hidingWholeLine = wholeLine;
        text = text.slice(at + this.marker.length);
        continue;
      }
      const keep = this.partialMarkerLength(text);
      out += this.pass(text.slice(0, text.length - keep));
      this.held = text.slice(text.length - keep);
      return out;
    }
    return out;
  }

  /** What is still held back (the stream ended: a marker's start that never completed is text). */
  flush(): string {
    const rest = this.hiding ? '' : this.held;
    this.held = '';
    return this.pass(rest);
  }

  private pass(text: string): string {
    if (text.length > 0) this.atLineStart = text.endsWith('\n');
    return text;
  }

  /** The length of the longest end of `text` that is a proper start of the marker. */
  private partialMarkerLength(text: string): number {
    for (let n = Math.min(this.marker.length - 1, text.length); n > 0; n--)
      if (this.marker.startsWith(text.slice(text.length - n))) return n;
    return 0;
  }
}

/** A whole text (a transcript read from disk) without its protocol lines. */
export function withoutProtocolLines(text: string): string {
  const f = new ProtocolLineFilter();
  return f.push(text) + f.flush();
}
