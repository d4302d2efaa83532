/** The shape of a CLI command: adding one is one file plus one line in cli/commands.ts. */
import type { Engine } from '../composition';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  /**
   * Builds the engine on first use (help and usage errors never start it); its modules are
   * loaded then too, so a command that needs no engine starts without them.
   */
  engine(): Promise<Engine>;
  /**
   * Registers what to do on SIGINT/SIGTERM while the command runs (e.g. cancel
   * a run). Returns an unregister function. The shell kills tracked processes after.
   */
  onInterrupt(handler: () => void): () => void;
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Some repetitions failed (samples kept) or the command failed at run time. */
  failed: 1,
  /** Invalid input: bad config, unknown option, unreadable file, unavailable platform. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM (128 + SIGINT). */
  interrupted: 130,
} as const;

export interface CliCommand {
  name: string;
  /** One line for `benchvisor --help`. */
  summary: string;
  /** Usage text for `benchvisor <name> --help`. */
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A command in the table (cli/commands.ts): its name, and its module loaded on demand. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

/** Thrown by argument parsing: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
