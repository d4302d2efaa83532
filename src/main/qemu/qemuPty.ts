/**
 * QEMU in a pseudo-terminal (its serial console is the pty), registered in the
 * ProcessTracker from spawn until it has exited, so cancel, errors and exit
 * reach it. Used by the Linux guest (guestVm.ts) and the unikernel's boots.
 */
import * as pty from 'node-pty';
import type { ProcessTracker } from '../process/tracker';

/** Terminal size of the serial console pty. */
const PTY_COLS = 120;
const PTY_ROWS = 40;

export interface QemuExit {
  exitCode: number;
  signal?: number;
}

export interface QemuPty {
  readonly term: pty.IPty;
  readonly pid: number;
  /** Resolves once QEMU has exited (it is untracked then). */
  readonly exited: Promise<QemuExit>;
  /** SIGKILL (nothing when it is already gone). */
  kill(): void;
}

export function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export function spawnQemuPty(opts: {
  qemuBinary: string;
  argv: string[];
  cwd: string;
  tracker: ProcessTracker;
  label: string;
}): QemuPty {
  const term = pty.spawn(opts.qemuBinary, opts.argv, {
    name: 'xterm-256color',
    cols: PTY_COLS,
    rows: PTY_ROWS,
    cwd: opts.cwd,
    env: process.env as Record<string, string>,
  });
  const pid = term.pid;
  const kill = (): void => killPid(pid);
  const untrack = opts.tracker.track({ label: opts.label, kill });
  const exited = new Promise<QemuExit>((resolve) =>
    term.onExit(({ exitCode, signal }) => {
      untrack();
      resolve(signal ? { exitCode, signal } : { exitCode });
    }),
  );
  return { term, pid, exited, kill };
}
