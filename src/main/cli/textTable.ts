/** Plain-text tables for the terminal: columns padded to their widest cell, two spaces apart. */

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides/isolates: a run name from
 * someone's bundle must not move the cursor, recolour or retitle the terminal, or reorder
 * what is printed around it.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text as the terminal may show it: every unsafe character written as a visible escape (\x1b, \u202e). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Formats a header and rows as aligned columns (trailing spaces trimmed); cells are escaped. */
export function formatColumns(
  header: readonly string[],
  cells: readonly (readonly string[])[],
): string {
  const rows = cells.map((r) => r.map(escapeControl));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]): string =>
    header
      .map((_, i) => (r[i] ?? '').padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

/** Prefixes every line of `text` with `indent`. */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** Wraps text to `width` columns at spaces, each line after the first indented by `indent`. */
export function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const limit = lines.length === 0 ? width : width - indent.length;
    if (line !== '' && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}
