/**
 * Decoding of what a client sends (request target, percent-escapes), guarded: anything
 * malformed comes back as null, so the server answers 400 instead of throwing. Every decode
 * of client input in web mode goes through here.
 */

/** Base for relative request targets; only the path and query of the result are used. */
const URL_BASE = 'http://localhost';
/** Longest request target we parse (Node's header limit already bounds it; this names it). */
export const MAX_REQUEST_TARGET_CHARS = 8 * 1024;

/** decodeURIComponent that returns null for malformed escapes (`%`, `%zz`, bad UTF-8). */
export function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * The request target as a URL, or null when it is not a path (`/…`) or does not parse.
 * Absolute-form targets (`http://host/…`) and authority-form (`host:port`) are refused: a
 * browser never sends them to us, and a URL parser must not get to pick the path from them.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  const raw = target ?? '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.length > MAX_REQUEST_TARGET_CHARS)
    return null;
  try {
    return new URL(raw, URL_BASE);
  } catch {
    return null;
  }
}
