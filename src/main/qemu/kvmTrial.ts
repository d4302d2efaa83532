/**
 * The last KVM preflight check: a trial. Opens the KVM device read-write
 * (a container's device cgroup refuses here even when the mode bits allow it),
 * then starts QEMU with `-accel kvm -M none` (no machine, no guest: QEMU only
 * initialises KVM, which creates a VM) and asks QMP `query-kvm` before `quit`.
 * A KVM start-up failure comes back parsed (kvmFailure.ts).
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { ProcessTracker } from '../process/tracker';
import { openFailure, parseKvmInitFailure, type KvmFailure } from './kvmFailure';

/** The trial QEMU answers in well under a second; allow a loaded machine plenty. */
export const KVM_TRIAL_TIMEOUT_MS = 15_000;
/** Bytes of QEMU output kept (the answers and error lines are short). */
const OUTPUT_LIMIT = 64 * 1024;

/** The QEMU command line of the trial (shown in the check's detail). */
export function kvmTrialArgs(): string[] {
  return [
    '-M',
    'none',
    '-accel',
    'kvm',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-qmp',
    'stdio',
  ];
}

/** QMP sent on stdin: QEMU reads it after its greeting, answers, and quits. */
const TRIAL_QMP =
  ['qmp_capabilities', 'query-kvm', 'quit'].map((c) => JSON.stringify({ execute: c })).join('\n') +
  '\n';

export type KvmTrialResult = { ok: true; detail: string } | { ok: false; failure: KvmFailure };

export interface KvmTrialOptions {
  qemuBinary: string;
  device: string;
  tracker?: ProcessTracker;
  timeoutMs?: number;
}

interface TrialRun {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
  timedOut: boolean;
}

function runTrialQemu(opts: KvmTrialOptions): Promise<TrialRun> {
  return new Promise((resolve) => {
    const child = spawn(opts.qemuBinary, kvmTrialArgs(), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const kill = (): void => {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const untrack = opts.tracker?.track({ label: 'KVM trial QEMU', kill }) ?? (() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs ?? KVM_TRIAL_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-OUTPUT_LIMIT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-OUTPUT_LIMIT)));
    child.stdin.on('error', () => undefined); // QEMU may exit before reading its input
    child.stdin.end(TRIAL_QMP);
    let spawnError: string | undefined;
    child.on('error', (e) => (spawnError = e.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      untrack();
      resolve({ code, stdout, stderr, timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}

/** `{"return": {"enabled": true, ...}}` among QEMU's QMP answers. */
function kvmEnabledAnswer(stdout: string): boolean | null {
  for (const line of stdout.split('\n')) {
    try {
      const msg = JSON.parse(line) as { return?: { enabled?: unknown; present?: unknown } };
      if (msg.return && typeof msg.return.enabled === 'boolean') return msg.return.enabled;
    } catch {
      /* not a JSON line */
    }
  }
  return null;
}

export async function kvmTrial(opts: KvmTrialOptions): Promise<KvmTrialResult> {
  try {
    const fh = await open(opts.device, 'r+');
    await fh.close();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, failure: openFailure(opts.device, err.code, err.message) };
  }
  const run = await runTrialQemu(opts);
  const command = `${opts.qemuBinary} ${kvmTrialArgs().join(' ')}`;
  if (run.spawnError)
    return {
      ok: false,
      failure: {
        errno: null,
        reason: `${opts.qemuBinary} could not be started for the KVM trial: ${run.spawnError}`,
        fix: 'install QEMU: sudo apt-get install qemu-system-x86',
      },
    };
  const enabled = kvmEnabledAnswer(run.stdout);
  if (run.code === 0 && enabled === true)
    return { ok: true, detail: `QEMU started with KVM (${command}; query-kvm: enabled=true)` };
  const parsed = parseKvmInitFailure(run.stderr);
  if (parsed) return { ok: false, failure: parsed };
  const tail = run.stderr.trim().split('\n').slice(-2).join(' | ');
  return {
    ok: false,
    failure: {
      errno: null,
      reason: run.timedOut
        ? `the KVM trial QEMU did not answer within ${Math.round((opts.timeoutMs ?? KVM_TRIAL_TIMEOUT_MS) / 1000)} s (${command})`
        : enabled === false
          ? `QEMU started with -accel kvm but query-kvm says KVM is not enabled (${command})`
          : `the KVM trial QEMU failed (exit ${run.code ?? 'killed'})${tail ? `: ${tail}` : ''}`,
      fix: 'run the trial command by hand and check dmesg | grep -i kvm',
    },
  };
}
