/**
 * One unikernel boot = one benchmark run: QEMU starts paused in a
 * pseudo-terminal (its serial console is the live console), QMP query-kvm
 * records what the accelerator really is, "cont" starts the CPU, and the boot
 * ends when the library OS leaves through isa-debug-exit. A timeout or cancel
 * kills QEMU; either way the process is tracked until it has exited.
 *
 * The console is also copied by QEMU into a log file, and the result is read
 * from that file: a pty can drop the last bytes of a process that exits right
 * after writing them (node-pty #72), and here QEMU exits right after the
 * result line by design.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { QmpClient } from '../../qemu/qmp';
import { spawnQemuPty } from '../../qemu/qemuPty';
import type { ProcessTracker } from '../../process/tracker';
import { LIBOS_TAG, parseConsole, type ConsoleFacts } from './consoleFacts';
import { decodeExit, type BootOutcome } from './exitStatus';
import { buildUnikernelArgs, type UnikernelLaunchSpec } from './unikernelArgs';

/** QEMU creates its QMP socket within milliseconds; generous for a loaded host. */
const QMP_CONNECT_TIMEOUT_MS = 15_000;
/** The line the library OS prints just before it calls the program's _start. */
const MAIN_MARKER = `${LIBOS_TAG}main `;

export interface UnikernelBootOptions {
  qemuBinary: string;
  spec: Omit<UnikernelLaunchSpec, 'qmpSocket' | 'consoleLog' | 'paused'>;
  /** A short private folder for the QMP socket and the console log (unix socket paths are limited to ~100 bytes). */
  workDir: string;
  tracker: ProcessTracker;
  label: string;
  onConsole?(data: string): void;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface UnikernelBootResult {
  argv: string[];
  outcome: BootOutcome;
  /** Everything on the serial console (the program's stdout and stderr, and the library OS's lines). */
  console: string;
  facts: ConsoleFacts;
  /** QMP query-kvm while the VM was paused before its first instruction; null if QEMU died first. */
  kvm: { enabled: boolean; present: boolean } | null;
  qemuVersion: string | null;
  /** Host ms from spawning QEMU to the library OS's "main" line (null if it never came). */
  bootToMainMs: number | null;
  /** Host ms from spawning QEMU to its exit. */
  durationMs: number;
  /** Set when Benchvisor ended QEMU itself. */
  failure?: { code: 'TIMEOUT' | 'CANCELLED'; message: string };
}

let bootCounter = 0;

export async function bootUnikernel(opts: UnikernelBootOptions): Promise<UnikernelBootResult> {
  const n = ++bootCounter;
  const qmpSocket = join(opts.workDir, `qmp-${n}.sock`);
  const consoleLog = join(opts.workDir, `console-${n}.log`);
  const argv = buildUnikernelArgs({ ...opts.spec, qmpSocket, consoleLog, paused: true });
  const started = performance.now();
  const qemu = spawnQemuPty({
    qemuBinary: opts.qemuBinary,
    argv,
    cwd: opts.workDir,
    tracker: opts.tracker,
    label: opts.label,
  });
  const { term, exited } = qemu;
  let seen = '';
  let bootToMainMs: number | null = null;
  term.onData((d) => {
    if (bootToMainMs === null) {
      seen = (seen + d).slice(-4096);
      if (seen.includes(MAIN_MARKER)) bootToMainMs = performance.now() - started;
    }
    opts.onConsole?.(d);
  });
  let ptyText = '';
  term.onData((d) => (ptyText += d));

  let failure: UnikernelBootResult['failure'];
  const stop = (code: 'TIMEOUT' | 'CANCELLED', message: string): void => {
    failure ??= { code, message };
    qemu.kill();
  };
  const timer = setTimeout(
    () =>
      stop('TIMEOUT', `the unikernel did not finish within ${Math.round(opts.timeoutMs / 1000)} s`),
    opts.timeoutMs,
  );
  const onAbort = (): void => stop('CANCELLED', 'cancelled');
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort);

  let qmp: QmpClient | null = null;
  let kvm: UnikernelBootResult['kvm'] = null;
  try {
    qmp = await Promise.race([
      QmpClient.connect(qmpSocket, QMP_CONNECT_TIMEOUT_MS, opts.signal),
      exited.then(() => null),
    ]);
    if (qmp) {
      kvm = await qmp.queryKvm();
      await qmp.execute('cont');
    }
  } catch {
    // QEMU died or never answered: the exit status and console below say why; make sure it is gone.
    if (!failure) qemu.kill();
  }
  const exit = await exited;
  const durationMs = performance.now() - started;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  const qemuVersion = qmp?.qemuVersion() ?? null;
  qmp?.close();

  const logged = await readFile(consoleLog, 'utf8').catch(() => '');
  await rm(consoleLog, { force: true });
  await rm(qmpSocket, { force: true });
  const console = logged.length >= ptyText.length ? logged : ptyText;
  const facts = parseConsole(console);
  const outcome = decodeExit({
    status: exit.signal ? null : exit.exitCode,
    signal: exit.signal,
    crash: facts.crash,
    kernelError: facts.kernelError,
    printedExit: facts.printedExit,
  });
  return { argv, outcome, console, facts, kvm, qemuVersion, bootToMainMs, durationMs, failure };
}
