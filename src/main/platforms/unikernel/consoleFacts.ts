/**
 * What the library OS says about itself on the serial console: every line it
 * prints starts with "@@LIBOS " (the program's own lines never do). Pure.
 */

export const LIBOS_TAG = '@@LIBOS ';

export interface ConsoleFacts {
  /** ms from the virtual CPU's reset to the program's main (the guest's TSC). */
  guestBootMs?: number;
  /** TSC frequency calibrated at boot (kHz). */
  tscKHz?: number;
  crash?: string;
  kernelError?: string;
  printedExit?: number;
  /** System calls the program made that the library OS does not implement: "41 (socket)". */
  unsupportedSyscalls: string[];
}

const MAIN = /^main \S+: boot (\d+(?:\.\d+)?) ms after reset, TSC (\d+) kHz/;
const UNSUPPORTED = /^unsupported system call (\d+ \([^)]*\))/;
const EXIT = /^exit (\d+)$/;

export function parseConsole(text: string): ConsoleFacts {
  const facts: ConsoleFacts = { unsupportedSyscalls: [] };
  for (const raw of text.split(/\r?\n/)) {
    const at = raw.indexOf(LIBOS_TAG);
    if (at < 0) continue;
    const line = raw.slice(at + LIBOS_TAG.length).trim();
    let m: RegExpExecArray | null;
    if ((m = MAIN.exec(line))) {
      facts.guestBootMs = Number(m[1]);
      facts.tscKHz = Number(m[2]);
    } else if (line.startsWith('crash: ')) {
      facts.crash = line.slice('crash: '.length);
    } else if (line.startsWith('error: ')) {
      facts.kernelError = line.slice('error: '.length);
    } else if ((m = UNSUPPORTED.exec(line))) {
      facts.unsupportedSyscalls.push(m[1]!);
    } else if ((m = EXIT.exec(line))) {
      facts.printedExit = Number(m[1]);
    }
  }
  return facts;
}
