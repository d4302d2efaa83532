/**
 * The machine-readable error codes shared by every binding (IPC, WebSocket, CLI). Plain data,
 * so AppFailure (appFailure.ts) needs no schema library; result.ts makes the zod enum of them.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_CONFIG',
  'NOT_FOUND',
  'UNAVAILABLE',
  'UNAUTHORIZED',
  'BUSY',
  'CANCELLED',
  'TIMEOUT',
  'TOOL_MISSING',
  'DAEMON_UNREACHABLE',
  'GUEST_FAILED',
  'BENCHMARK_FAILED',
  'BUNDLE_INVALID',
  'IO_ERROR',
  'INTERNAL',
] as const;

export type ErrorCodeValue = (typeof ERROR_CODES)[number];
