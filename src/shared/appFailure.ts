/**
 * An Error subclass carrying an AppError so services can throw and bindings can unwrap.
 * Its own module, free of zod at run time, so the CLI's dispatch (which catches it) loads
 * without the schema library: the agent's relay starts on every SSH connection.
 */
import type { ErrorCodeValue } from './errorCodes';

export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppFailure';
  }
  /** The AppError value (result.ts) this failure carries. */
  toAppError(): { code: ErrorCodeValue; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
