import { describe, expect, it } from 'vitest';
import { ProtocolLineFilter, withoutProtocolLines } from '../../src/shared/consoleFilter';

const RESULT = '@@BENCHVISOR {"benchmark":"linpack","metrics":{"kflops":1234.5}}';

/** Feeds the chunks one by one and returns what a person sees. */
function through(chunks: string[]): string {
  const f = new ProtocolLineFilter();
  return chunks.map((c) => f.push(c)).join('') + f.flush();
}

/** Every way of cutting `text` into two chunks, and into single characters. */
function cuts(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('protocol lines are hidden from consoles', () => {
  it('drops a result line of its own with its line break, keeping the lines around it', () => {
    const text = `$ linpack --size 200\r\nrunning 8 passes\r\n${RESULT}\r\n$ next\r\n`;
    expect(withoutProtocolLines(text)).toBe(
      '$ linpack --size 200\r\nrunning 8 passes\r\n$ next\r\n',
    );
  });

  it('finds the marker wherever the chunks are cut (two chunks, one character each)', () => {
    const text = `progress\r\n${RESULT}\r\nafter\r\n`;
    for (const chunks of cuts(text)) expect(through(chunks)).toBe('progress\r\nafter\r\n');
  });

  it('hides a result line at the very start of the stream and one ending with \\n only', () => {
    expect(withoutProtocolLines(`${RESULT}\nnext line\n`)).toBe('next line\n');
  });

  it('keeps what came before the marker on its line, and that line break', () => {
    for (const chunks of cuts(`stderr says hi ${RESULT}\r\nnext\r\n`))
      expect(through(chunks)).toBe('stderr says hi \r\nnext\r\n');
  });

  it('hides a line that is still unfinished when the chunk ends, and the rest of it later', () => {
    const f = new ProtocolLineFilter();
    expect(f.push(`ok\r\n${RESULT.slice(0, 20)}`)).toBe('ok\r\n');
    expect(f.push(RESULT.slice(20))).toBe('');
    expect(f.push('\r\nshell$ ')).toBe('shell$ ');
    expect(f.flush()).toBe('');
  });

  it('holds back only what may start a marker, and gives it back when it does not', () => {
    const f = new ProtocolLineFilter();
    expect(f.push('mail me at a@@BEN')).toBe('mail me at a');
    expect(f.push('T')).toBe('@@BENT');
    expect(f.push('half @@')).toBe('half ');
    expect(f.flush()).toBe('@@');
  });

  it('leaves text without markers alone (other @@ lines, ANSI colours, UTF-8)', () => {
    const text = '@@LIBOS main linpack: boot 3 ms\r\n\x1b[32mgrün ✓\x1b[0m\r\n';
    for (const chunks of cuts(text)) expect(through(chunks)).toBe(text);
  });

  it('hides two result lines in a row and a line ending in a bare carriage return before one', () => {
    expect(withoutProtocolLines(`a\r\n${RESULT}\r\n${RESULT}\r\nb\r\n`)).toBe('a\r\nb\r\n');
    expect(withoutProtocolLines(`a\r\n\r${RESULT}\r\nb`)).toBe('a\r\nb');
  });
});
