/**
 * JSON that cannot take a process down. `JSON.stringify` recurses once per nesting level, so a
 * value nested a few thousand levels deep (a crafted bundle's summary.json or a sample's meta)
 * throws "Maximum call stack size exceeded" wherever it is serialised; so do BigInts and cycles.
 * Every binding that sends values to a client (WebSocket, stdio agent) serialises through
 * `serialiseWireMessage`: a reply that cannot be serialised becomes an error value, an event
 * that cannot is dropped, and the process stays up. Text from outside is measured with
 * `jsonTextDepth` (a scan without recursion) before it is parsed and kept.
 */
import type { WireMessage } from './wire';

/**
 * Deepest nesting of arrays/objects accepted in a JSON file or line from outside (bundles,
 * run folders). Benchvisor's own files nest at most about 8 levels (experiment.json's config);
 * 64 leaves room for any honest addition and stays far below what recursion can bear.
 */
export const JSON_MAX_DEPTH = 64;

/**
 * Deepest nesting of arrays and objects in a JSON text, without parsing it (no recursion, one
 * pass; brackets inside strings do not count). Malformed text gives a depth too: the parser
 * refuses it afterwards.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return max;
}

/** The reason a JSON text is nested too deeply, or null when it is within `maxDepth`. */
export function jsonDepthProblem(text: string, maxDepth = JSON_MAX_DEPTH): string | null {
  const depth = jsonTextDepth(text);
  return depth > maxDepth ? `nests ${depth} levels deep; at most ${maxDepth} are accepted` : null;
}

export type Serialised = { ok: true; text: string } | { ok: false; message: string };

/** JSON.stringify that returns a reason instead of throwing (deep nesting, BigInt, cycles). */
export function safeStringify(value: unknown): Serialised {
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string'
      ? { ok: true, text }
      : { ok: false, message: 'the value has no JSON form' };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The text of one message to a client. A reply that cannot be serialised is replaced by an
 * error reply (same id, code INTERNAL) so the caller is not left waiting; an event that cannot
 * be serialised gives null (the binding drops it).
 */
export function serialiseWireMessage(msg: WireMessage): string | null {
  const first = safeStringify(msg);
  if (first.ok) return first.text;
  if (msg.type === 'event') return null;
  return JSON.stringify({
    type: 'reply',
    id: msg.id,
    result: {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `the reply could not be serialised (${first.message}); the data it holds is malformed`,
      },
    },
  });
}
