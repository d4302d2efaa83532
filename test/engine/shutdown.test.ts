/**
 * Issue #25 item 4: one shutdown path. The first signal starts a bounded cleanup; copies of it
 * (terminal, npm, start.mjs) are ignored; when the bound expires, or a signal comes after it,
 * the synchronous last resort runs and the process exits. Fake clock and timers: no waiting.
 */
import { describe, expect, it } from 'vitest';
import { FORWARD_BOUND_MS } from '../../scripts/signalOnce.mjs';
import { SHUTDOWN_BOUND_MS, createShutdown } from '../../src/main/process/shutdown';

function harness(cleanup: () => Promise<void>) {
  const events: string[] = [];
  let t = 0;
  let timer: (() => void) | null = null;
  const shutdown = createShutdown(
    {
      cleanup: async () => {
        events.push('cleanup');
        await cleanup();
      },
      force: () => events.push('force'),
      exit: (code) => events.push(`exit ${code}`),
      log: () => undefined,
    },
    {
      boundMs: 1000,
      now: () => t,
      setTimer: (fn) => (timer = fn),
      clearTimer: () => (timer = null),
    },
  );
  return {
    shutdown,
    events,
    at: (ms: number) => (t = ms),
    fireTimer: () => timer?.(),
    timerSet: () => timer !== null,
  };
}

describe('createShutdown', () => {
  it('many copies of the first signal: one cleanup, then exit with 128 + the signal', async () => {
    let finish!: () => void;
    const h = harness(() => new Promise<void>((r) => (finish = r)));
    expect(h.shutdown.onSignal('SIGINT')).toBe('started');
    h.at(50);
    expect(h.shutdown.onSignal('SIGINT')).toBe('ignored');
    expect(h.shutdown.onSignal('SIGTERM')).toBe('ignored');
    expect(h.events).toEqual(['cleanup']);
    finish();
    await h.shutdown.begin('again', 0); // joins the same cleanup
    expect(h.events).toEqual(['cleanup', 'exit 130']);
    expect(h.timerSet()).toBe(false); // the bound's timer is cleared
  });

  it('a cleanup that hangs: at the bound the last resort runs and the process exits', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.shutdown.onSignal('SIGTERM');
    h.at(1000);
    h.fireTimer();
    expect(h.events).toEqual(['cleanup', 'force', 'exit 143']);
  });

  it('a signal after the bound forces exit at once', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.shutdown.onSignal('SIGINT');
    h.at(999);
    expect(h.shutdown.onSignal('SIGINT')).toBe('ignored');
    h.at(1000);
    expect(h.shutdown.onSignal('SIGINT')).toBe('forced');
    expect(h.events).toEqual(['cleanup', 'force', 'exit 130']);
    h.fireTimer(); // the timer afterwards does not exit twice
    expect(h.events.filter((e) => e.startsWith('exit'))).toHaveLength(1);
  });

  it('a cleanup that throws still forces and exits; a quit exits with its own code', async () => {
    const h = harness(() => Promise.reject(new Error('docker hung up')));
    await h.shutdown.begin('quitting', 0);
    expect(h.events).toEqual(['cleanup', 'force', 'exit 0']);
  });

  it('start.mjs forwards within the same bound as the app', () => {
    expect(FORWARD_BOUND_MS).toBe(SHUTDOWN_BOUND_MS);
  });
});
