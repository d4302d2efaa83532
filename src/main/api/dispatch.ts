/**
 * The boundary check shared by every binding (IPC and WebSocket): the channel must exist,
 * the request must match the channel's zod schema, and whatever happens the caller gets a
 * Result envelope, never a thrown error.
 */
import { API, isChannel } from '../../shared/api';
import type { ApiHandlers, Channel } from '../../shared/api';
import { describeZodError, err, toAppError } from '../../shared/result';
import type { Result } from '../../shared/result';

export async function dispatch(
  handlers: ApiHandlers,
  channel: unknown,
  request: unknown,
): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !isChannel(channel)) {
    return err('INVALID_INPUT', `unknown API channel ${JSON.stringify(channel)}`);
  }
  const parsed = API[channel].request.safeParse(request ?? {});
  if (!parsed.success) {
    return err(
      'INVALID_INPUT',
      `invalid request for ${channel}:\n${describeZodError(parsed.error)}`,
    );
  }
  try {
    const handler = handlers[channel] as (r: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}

export type { Channel };
