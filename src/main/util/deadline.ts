/**
 * Bounds on promises that depend on another process answering (the Docker daemon, a guest):
 * a call that never settles must not hold a run, a pause or an engine's start forever.
 */

/** `p`'s value, or 'timeout' when it has not settled within `ms` (p is left to settle alone). */
export function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** An error whose `code` is ETIMEDOUT: "<who> did not answer within N s". */
export class NoAnswerError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** `p`'s value; rejects with a NoAnswerError naming `who` when it has not settled within `ms`. */
export async function answerWithin<T>(p: Promise<T>, ms: number, who: string): Promise<T> {
  const r = await settleWithin(p, ms);
  if (r === 'timeout') throw new NoAnswerError(`${who} did not answer within ${secondsText(ms)}`);
  return r;
}

function secondsText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
