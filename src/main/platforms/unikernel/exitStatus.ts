/**
 * How a unikernel boot ended, from QEMU's exit status and the console. The
 * library OS leaves through isa-debug-exit: writing V makes QEMU exit with
 * (V << 1) | 1 (resources/unikernel/kernel/los.h defines the values). Pure.
 */

/** Debug-exit value base for the program's own exit status (0..63; 63 stands for 63 and above). */
export const LOS_EXIT_APP_BASE = 0x40;
export const LOS_EXIT_APP_MAX = 63;
/** A CPU exception in the program or the library OS. */
export const LOS_EXIT_CRASH = 0x20;
/** The library OS could not start the program (no HPET, bad command line, too little memory...). */
export const LOS_EXIT_KERNEL_ERROR = 0x21;

/** QEMU's process status for a debug-exit value. */
export function qemuStatusFor(debugExitValue: number): number {
  return ((debugExitValue << 1) | 1) & 0xff;
}

export type BootOutcome =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'crashed'; message: string }
  | { kind: 'kernel-error'; message: string }
  | { kind: 'qemu-failed'; message: string };

export interface ExitFacts {
  /** QEMU's exit status (null when it was killed by a signal). */
  status: number | null;
  signal?: number;
  /** The library OS's crash line ("exception #PF (page fault) at rip=..."), if any. */
  crash?: string;
  /** The library OS's error line, if any. */
  kernelError?: string;
  /** The exit status the library OS printed ("@@LIBOS exit N"), exact even above 63. */
  printedExit?: number;
}

export function decodeExit(f: ExitFacts): BootOutcome {
  if (f.status === null)
    return { kind: 'qemu-failed', message: `QEMU was killed by signal ${f.signal ?? '?'}` };
  const s = f.status;
  if (s === qemuStatusFor(LOS_EXIT_CRASH))
    return {
      kind: 'crashed',
      message: f.crash ?? 'a CPU exception (no crash line on the console)',
    };
  if (s === qemuStatusFor(LOS_EXIT_KERNEL_ERROR))
    return {
      kind: 'kernel-error',
      message: f.kernelError ?? 'the library OS stopped with an error',
    };
  const first = qemuStatusFor(LOS_EXIT_APP_BASE);
  const last = qemuStatusFor(LOS_EXIT_APP_BASE + LOS_EXIT_APP_MAX);
  if (s >= first && s <= last && (s & 1) === 1) {
    const code = (s - first) / 2;
    return {
      kind: 'exited',
      exitCode: code === LOS_EXIT_APP_MAX && f.printedExit !== undefined ? f.printedExit : code,
    };
  }
  if (s === 0)
    return {
      kind: 'qemu-failed',
      message: 'the guest stopped without isa-debug-exit (QEMU exited with 0)',
    };
  return { kind: 'qemu-failed', message: `QEMU exited with status ${s} (not a library OS exit)` };
}
