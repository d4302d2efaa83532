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
 * What JSON.stringify leaves raw: DEL, C1 and the bidi marks. C0 characters inside strings are
 * already escaped by it, and the ones outside strings are its own layout (the newlines and
 * indentation of pretty-printed JSON), which must stay.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text with every unsafe character written as a visible escape: `\x1b`, `\u202e`. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => visibleEscape(c, 'text'));
}

/**
 * JSON text (from JSON.stringify, which escapes C0 characters but leaves C1 and bidi ones raw)
 * with the same characters written as JSON escapes (`\u009b`, `\u202e`): still valid JSON.
 */
export function escapeControlInJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => visibleEscape(c, 'json'));
}

function visibleEscape(c: string, style: 'text' | 'json'): string {
  const code = c.charCodeAt(0);
  return code <= 0xff && style === 'text'
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
