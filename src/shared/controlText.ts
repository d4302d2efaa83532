/**
 * The one escaping function for text that came from outside (a bundle's run name, units,
 * cell notes) and is printed where a terminal or a Markdown viewer acts on it: `benchvisor
 * list`/`show`/`compare`, report.md. Control characters (C0 including CR and ESC, DEL, C1
 * including the one-byte CSI \x9b) and bidirectional marks, overrides and isolates (U+202E)
 * must not move the cursor, recolour or retitle the terminal, or reorder what is around them.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text with every unsafe character written as a visible escape: `\x1b`, `\u202e` (style
 * 'text'), or `\u001b`, `\u202e` (style 'json': valid inside a JSON string, for JSON text that
 * JSON.stringify left with C1 or bidi characters raw).
 */
export function escapeControl(text: string, style: 'text' | 'json' = 'text'): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff && style === 'text'
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
