/**
 * One shutdown path for every shell (Electron, the CLI, web mode). A Ctrl+C reaches the app
 * several times (the terminal signals the whole foreground group; npm and start.mjs forward
 * their copies), and a second copy used to kill it in the middle of its cleanup: containers,
 * guests and the run's status were left behind. Here the first SIGINT/SIGTERM/SIGHUP (or a
 * quit) starts the cleanup with a bounded time: cancel the run and wait until it is marked
 * cancelled, then stop every tracked child, container and guest. Copies arriving within the
 * bound are ignored; when the bound expires, or a signal comes after it, the synchronous last
 * resort (SIGKILL to tracked processes) runs and the process exits.
 */

/** Longest graceful cleanup after the first signal (the same bound as scripts/signalOnce.mjs). */
export const SHUTDOWN_BOUND_MS = 15_000;

/** Exit code of a process that ended on a signal: 128 + the signal's number. */
export const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

export interface ShutdownSteps {
  /** The graceful cleanup: cancel the run and wait for its end, stop servers, kill what is tracked. */
  cleanup(): Promise<void>;
  /** Synchronous last resort (SIGKILL tracked processes, remove staging folders). */
  force(): void;
  /** Ends the process (process.exit or app.exit). */
  exit(code: number): void;
  /** One line for the user (stderr). */
  log(line: string): void;
}

export interface ShutdownOptions {
  boundMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface Shutdown {
  /** For process.on(signal): the first starts the cleanup, copies are ignored, a late one forces. */
  onSignal(signal: NodeJS.Signals): 'started' | 'ignored' | 'forced';
  /** Starts (or joins) the bounded cleanup; `code` is the exit code when it completes. */
  begin(reason: string, code: number): Promise<void>;
  /** True once the cleanup has started. */
  readonly started: boolean;
}

export function createShutdown(steps: ShutdownSteps, opts: ShutdownOptions = {}): Shutdown {
  const boundMs = opts.boundMs ?? SHUTDOWN_BOUND_MS;
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  let startedAt: number | null = null;
  let running: Promise<void> | null = null;
  let exited = false;
  const exitOnce = (code: number): void => {
    if (exited) return;
    exited = true;
    steps.exit(code);
  };
  const forceExit = (why: string, code: number): void => {
    steps.log(`benchvisor: ${why}: killing what is left and exiting`);
    try {
      steps.force();
    } finally {
      exitOnce(code);
    }
  };
  const begin = (reason: string, code: number): Promise<void> => {
    if (running) return running;
    startedAt = now();
    steps.log(
      `benchvisor: ${reason}: stopping the run, containers and guests ` +
        `(at most ${Math.round(boundMs / 1000)} s; a signal after that forces exit)`,
    );
    const timer = setTimer(
      () => forceExit(`cleanup still running after ${boundMs} ms`, code),
      boundMs,
    );
    running = steps.cleanup().then(
      () => {
        clearTimer(timer);
        exitOnce(code);
      },
      (e: unknown) => {
        clearTimer(timer);
        forceExit(`cleanup failed (${e instanceof Error ? e.message : String(e)})`, code);
      },
    );
    return running;
  };
  return {
    onSignal(signal) {
      const code = SIGNAL_EXIT[signal] ?? 1;
      if (startedAt === null) {
        void begin(`${signal} received`, code);
        return 'started';
      }
      if (now() - startedAt < boundMs) return 'ignored';
      forceExit(`${signal} received again after ${boundMs} ms`, code);
      return 'forced';
    },
    begin,
    get started() {
      return startedAt !== null;
    },
  };
}

/** The signals every shell handles through one Shutdown. */
export const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
