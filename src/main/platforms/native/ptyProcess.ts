/**
 * Runs one program in a pseudo-terminal (node-pty, argument array, no shell):
 * live output to a callback, keyboard input, timeout and AbortSignal that
 * SIGKILL the whole process group, tracked in the ProcessTracker meanwhile.
 */
import * as pty from 'node-pty';
import type { ProcessTracker } from '../../process/tracker';

/** Terminal size given to the pty (benchmarks print short progress lines). */
const PTY_COLS = 120;
const PTY_ROWS = 40;

export interface PtyRunOptions {
  file: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  tracker: ProcessTracker;
  /** Label in the tracker ("native <binary>"). */
  label: string;
  onData(chunk: string): void;
  /** Called once the process is running, with a function that writes to its terminal. */
  onStart?(write: (data: string) => void): void;
  /** Monotonic clock in ms (defaults to performance.now). */
  now?: () => number;
}

export interface PtyRunResult {
  exitCode: number | null;
  signal: number | null;
  output: string;
  durationMs: number;
  /** Why we ended the process ourselves, if we did. */
  killedBy?: 'timeout' | 'abort';
  /** The program could not be started at all. */
  spawnError?: string;
}

/** SIGKILL the process group the pty leader heads (the pty child calls setsid), then the pid itself. */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* group already gone */
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export function runInPty(opts: PtyRunOptions): Promise<PtyRunResult> {
  const now = opts.now ?? (() => performance.now());
  return new Promise((resolveRun) => {
    if (opts.signal?.aborted) {
      resolveRun({ exitCode: null, signal: null, output: '', durationMs: 0, killedBy: 'abort' });
      return;
    }
    const started = now();
    let term: pty.IPty;
    try {
      term = pty.spawn(opts.file, opts.args, {
        name: 'xterm-256color',
        cols: PTY_COLS,
        rows: PTY_ROWS,
        cwd: opts.cwd,
        env: (opts.env ?? process.env) as Record<string, string>,
      });
    } catch (e) {
      resolveRun({
        exitCode: null,
        signal: null,
        output: '',
        durationMs: 0,
        spawnError: e instanceof Error ? e.message : String(e),
      });
      return;
    }
    const pid = term.pid;
    const chunks: string[] = [];
    let killedBy: PtyRunResult['killedBy'];
    const kill = (why: 'timeout' | 'abort'): void => {
      killedBy ??= why;
      killProcessGroup(pid);
    };
    const untrack = opts.tracker.track({ label: opts.label, kill: () => killProcessGroup(pid) });
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
    const onAbort = (): void => kill('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const dataSub = term.onData((d) => {
      chunks.push(d);
      opts.onData(d);
    });
    term.onExit(({ exitCode, signal }) => {
      const durationMs = now() - started;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      dataSub.dispose();
      // The leader is gone; children it left behind (a killed tree of forked processes) go with the group.
      killProcessGroup(pid);
      untrack();
      const result: PtyRunResult = {
        exitCode: killedBy ? null : exitCode,
        signal: signal ? signal : null,
        output: chunks.join(''),
        durationMs,
      };
      if (killedBy) result.killedBy = killedBy;
      resolveRun(result);
    });
    opts.onStart?.((data) => term.write(data));
  });
}
