/**
 * Result envelope: every API call and most service calls return a value or a
 * typed error instead of throwing across a boundary.
 */
import { z } from 'zod';
import { AppFailure } from './appFailure';
import { ERROR_CODES } from './errorCodes';

/** Machine-readable error codes shared by every binding (IPC, WebSocket, CLI): ERROR_CODES. */
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Re-exported: services throw it, bindings unwrap it (its own module: shared/appFailure.ts). */
export { AppFailure };

/** The message of anything thrown (an Error's message, else its string form): the one place. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Converts anything thrown into an AppError (unknown errors become INTERNAL). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppFailure) return e.toAppError();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  return { code: 'INTERNAL', message: String(e) };
}

/** Formats zod issues as "field.path: problem" lines, naming the field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
      return `${path}: ${i.message}`;
    })
    .join('\n');
}
