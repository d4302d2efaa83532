/** Plain-text tables for the terminal: columns padded to their widest cell, two spaces apart. */

import { escapeControl } from '../../shared/controlText';

export { escapeControl };

/** Formats a header and rows as aligned columns (trailing spaces trimmed); cells are escaped. */
export function formatColumns(
  header: readonly string[],
  cells: readonly (readonly string[])[],
): string {
  const rows = cells.map((r) => r.map((c) => escapeControl(c)));
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
