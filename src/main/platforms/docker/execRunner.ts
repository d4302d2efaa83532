/**
 * Runs one command inside the container as a Docker exec with a TTY: output
 * streams to the console as it comes, typing is forwarded while it runs, and a
 * timeout or cancel kills it from inside the container.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import type { ConsoleSink } from '../platform';
import { answerWithin } from '../../util/deadline';

/** Output kept per exec for result parsing (the console sees everything). */
const MAX_KEPT_OUTPUT_CHARS = 4 * 1024 * 1024;
/** After a kill, how long the stream gets to end before we drop it. */
const END_AFTER_KILL_MS = 5000;
/** How long the daemon gets to record the exit code once the stream ended (a loaded host is slow). */
const EXIT_CODE_WAIT_MS = 15_000;
const EXIT_CODE_POLL_MS = 50;
/** Terminal size for the TTY (the console renders wider lines itself). */
const TTY_ROWS = 40;
const TTY_COLUMNS = 120;

export interface ExecRun {
  cmd: string[];
  console: ConsoleSink;
  /** Extra environment ("NAME=value") for the command. */
  env?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the stream while the exec runs (for keyboard input) and with null when it ended. */
  onStream?(stream: Duplex | null): void;
  /**
   * Called with the kill a timeout or cancel started (an exec of its own): the session must not
   * pause the container until it has ended, or the kill's exec waits for the frozen container for
   * good and the daemon holds the container with it (docker inspect and remove hang).
   */
  onKill?(killed: Promise<void>): void;
}

export interface ExecOutcome {
  exitCode: number | null;
  output: string;
  durationMs: number;
  failure?: { code: 'TIMEOUT' | 'CANCELLED' | 'GUEST_FAILED'; message: string };
}

/**
 * How long the daemon gets to carry out a kill (exec created, started, ended). A daemon that
 * holds the container (a frozen cgroup, a wedged runc) never answers; the caller goes on.
 */
export const KILL_ANSWER_TIMEOUT_MS = 15_000;

/**
 * Kills every process in the container except its idle PID 1: `kill -KILL -1`
 * run in the container's PID namespace. The session runs one thing at a time,
 * so this is exactly "the running repetition" (and a running service). Rejects with a
 * NoAnswerError when the daemon has not done it within KILL_ANSWER_TIMEOUT_MS.
 */
export async function killContainerProcesses(
  container: Dockerode.Container,
  timeoutMs = KILL_ANSWER_TIMEOUT_MS,
): Promise<void> {
  let stream: Duplex | undefined;
  const killed = (async () => {
    const exec = await container.exec({
      Cmd: ['/bin/busybox', 'kill', '-KILL', '-1'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const s = (await exec.start({ hijack: true, stdin: false })) as Duplex;
    stream = s;
    await new Promise<void>((resolve) => {
      s.on('end', resolve);
      s.on('close', resolve);
      s.on('error', () => resolve());
      s.resume();
    });
  })();
  try {
    await answerWithin(
      killed,
      timeoutMs,
      `the Docker daemon (killing the processes of container ${container.id.slice(0, 12)})`,
    );
  } finally {
    stream?.destroy();
  }
}

async function exitCodeOf(exec: Dockerode.Exec): Promise<number | null> {
  const deadline = Date.now() + EXIT_CODE_WAIT_MS;
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined)
      return info.ExitCode;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, EXIT_CODE_POLL_MS));
  }
}

export async function runExec(container: Dockerode.Container, run: ExecRun): Promise<ExecOutcome> {
  const exec = await container.exec({
    Cmd: run.cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: [`TERM=xterm-256color`, `COLUMNS=${TTY_COLUMNS}`, `LINES=${TTY_ROWS}`, ...(run.env ?? [])],
  });
  const started = performance.now();
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  run.onStream?.(stream);
  const decoder = new StringDecoder('utf8');
  let output = '';
  let failure: ExecOutcome['failure'];

  const ended = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text === '') return;
      run.console.data(text);
      output = (output + text).slice(-MAX_KEPT_OUTPUT_CHARS);
    });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });

  const kill = (code: 'TIMEOUT' | 'CANCELLED', message: string) => {
    if (failure) return;
    failure = { code, message };
    const killed = killContainerProcesses(container).catch(() => {
      /* the container may be gone already; the stream is dropped below */
    });
    run.onKill?.(killed);
    setTimeout(() => stream.destroy(), END_AFTER_KILL_MS).unref();
  };
  const timer =
    run.timeoutMs !== undefined
      ? setTimeout(
          () => kill('TIMEOUT', `killed after the ${run.timeoutMs} ms repetition timeout`),
          run.timeoutMs,
        )
      : undefined;
  const onAbort = () => kill('CANCELLED', 'cancelled');
  if (run.signal?.aborted) onAbort();
  else run.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await ended;
  } finally {
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
    run.onStream?.(null);
  }
  const durationMs = performance.now() - started;
  const rest = decoder.end();
  if (rest !== '') {
    run.console.data(rest);
    output += rest;
  }
  let exitCode: number | null = null;
  try {
    exitCode = await exitCodeOf(exec);
  } catch (e) {
    failure ??= {
      code: 'GUEST_FAILED',
      message: `the container went away: ${(e as Error).message}`,
    };
  }
  return failure ? { exitCode, output, durationMs, failure } : { exitCode, output, durationMs };
}
