// Forwards a termination signal to the app once. A Ctrl+C reaches `npm start` several times
// (the terminal signals the whole foreground group, npm forwards its own copy): only the first
// is passed on, which starts the app's bounded cleanup. A signal that comes after that bound
// is passed on too: the user insists, and the app then forces its exit.

/**
 * Milliseconds the app's cleanup may take after the first signal (the same bound as
 * SHUTDOWN_BOUND_MS in src/main/process/shutdown.ts; a test keeps them equal).
 */
export const FORWARD_BOUND_MS = 15_000;

/**
 * @param {{ kill: (signal: string) => void, now?: () => number, boundMs?: number }} deps
 * @returns {(signal: string) => boolean} call on every signal; true when it was forwarded
 */
export function forwardOnce({ kill, now = Date.now, boundMs = FORWARD_BOUND_MS }) {
  let firstAt = null;
  return (signal) => {
    const t = now();
    if (firstAt !== null && t - firstAt < boundMs) return false;
    if (firstAt === null) firstAt = t;
    kill(signal);
    return true;
  };
}
