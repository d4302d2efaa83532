/**
 * Runs external tools (apt-get, dpkg-deb, qemu-img, xz, ...) with argument
 * arrays, never through a shell. An interface so logic around tools can be
 * unit-tested with a fake. The real one (ExecFileCommands) registers every tool it starts in
 * the ProcessTracker (so exit and crash cleanup reach a long apt download) and
 * kills it when the caller's AbortSignal fires (so cancel does not wait for it).
 */
import { execFile } from 'node:child_process';
import type { ProcessTracker } from '../process/tracker';

export interface CommandOutput {
  /** Exit code; null when the tool could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started at all (ENOENT, EACCES...). */
  spawnError?: string;
  /** Set when the caller's signal ended the tool. */
  aborted?: boolean;
}

export interface CommandOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Kills the tool (SIGKILL) when it fires; the output then says aborted. */
  signal?: AbortSignal;
}

export interface HostCommands {
  run(cmd: string, args: readonly string[], opts?: CommandOptions): Promise<CommandOutput>;
}

/** Largest stdout/stderr we keep from a tool (apt can be chatty). */
const MAX_TOOL_OUTPUT = 16 * 1024 * 1024;

export class ExecFileCommands implements HostCommands {
  /** `tracker`: where started tools are registered until they end (optional for probes in tests). */
  constructor(private readonly tracker?: ProcessTracker) {}

  run(cmd: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandOutput> {
    return new Promise((resolve) => {
      if (opts.signal?.aborted) {
        resolve({ code: null, stdout: '', stderr: '', aborted: true });
        return;
      }
      let untrack = (): void => undefined;
      const child = execFile(
        cmd,
        [...args],
        {
          cwd: opts.cwd,
          timeout: opts.timeoutMs ?? 0,
          maxBuffer: MAX_TOOL_OUTPUT,
          encoding: 'utf8',
          killSignal: 'SIGKILL',
          signal: opts.signal,
        },
        (error, stdout, stderr) => {
          untrack();
          if (!error) return resolve({ code: 0, stdout, stderr });
          if (opts.signal?.aborted) return resolve({ code: null, stdout, stderr, aborted: true });
          const e = error as NodeJS.ErrnoException & { code?: unknown };
          if (typeof e.code === 'string') {
            return resolve({ code: null, stdout, stderr, spawnError: `${cmd}: ${e.message}` });
          }
          resolve({ code: typeof e.code === 'number' ? e.code : null, stdout, stderr });
        },
      );
      if (this.tracker && child.pid !== undefined) {
        untrack = this.tracker.track({
          label: `${cmd} ${args[0] ?? ''}`.trim(),
          kill: () => {
            child.kill('SIGKILL');
          },
        });
      }
    });
  }
}
