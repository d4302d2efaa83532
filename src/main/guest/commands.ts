/**
 * Runs external tools (apt-get, dpkg-deb, qemu-img, xz, ...) with argument
 * arrays, never through a shell. An interface so logic around tools can be
 * unit-tested with a fake.
 */
import { execFile } from 'node:child_process';

export interface CommandOutput {
  /** Exit code; null when the tool could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started at all (ENOENT, EACCES...). */
  spawnError?: string;
}

export interface CommandRunner {
  run(
    cmd: string,
    args: readonly string[],
    opts?: { cwd?: string; timeoutMs?: number },
  ): Promise<CommandOutput>;
}

/** Largest stdout/stderr we keep from a tool (apt can be chatty). */
const MAX_TOOL_OUTPUT = 16 * 1024 * 1024;

export class ExecFileRunner implements CommandRunner {
  run(
    cmd: string,
    args: readonly string[],
    opts: { cwd?: string; timeoutMs?: number } = {},
  ): Promise<CommandOutput> {
    return new Promise((resolve) => {
      execFile(
        cmd,
        [...args],
        {
          cwd: opts.cwd,
          timeout: opts.timeoutMs ?? 0,
          maxBuffer: MAX_TOOL_OUTPUT,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          const e = error as NodeJS.ErrnoException & { code?: unknown };
          if (typeof e.code === 'string') {
            return resolve({ code: null, stdout, stderr, spawnError: `${cmd}: ${e.message}` });
          }
          resolve({ code: typeof e.code === 'number' ? e.code : null, stdout, stderr });
        },
      );
    });
  }
}
