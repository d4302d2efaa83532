/**
 * One client of the agent: lines in, replies and events out. Every line is checked like a
 * WebSocket message (size cap, JSON, the call's shape, the channel's zod schema in dispatch);
 * whatever a client sends, it gets an error value back and the engine goes on.
 */
import {
  AGENT_API,
  AGENT_MAX_LINE_BYTES,
  AGENT_PROTOCOL,
  AgentCallSchema,
  isAgentChannel,
  type AgentHandlers,
  type AgentHello,
} from '../../shared/agentProtocol';
import { describeZodError, err, toAppError, type Result } from '../../shared/result';
import type { ApiConnection, ApiService } from '../api/service';
import { dispatch } from '../api/dispatch';
import { LineSplitter } from '../util/lineSplitter';
import { serialiseWireMessage } from '../../shared/safeJson';
import type { WireMessage } from '../../shared/wire';

/** Where the session's lines go; `backlog` is what the peer has not read yet. */
export interface LineSink {
  write(line: string): void;
  backlog(): number;
  /** Drops the peer (it stopped reading). */
  drop(): void;
}

/** Most bytes a client may leave unread before it is dropped (it can attach again). */
export const MAX_AGENT_BACKLOG_BYTES = 16 * 1024 * 1024;

export function helloLine(version: string): string {
  const hello: AgentHello = {
    type: 'hello',
    agent: 'benchvisor-agent',
    protocol: AGENT_PROTOCOL,
    version,
  };
  return JSON.stringify(hello);
}

async function answerAgent(handlers: AgentHandlers, channel: string, request: unknown) {
  if (!isAgentChannel(channel)) return null;
  const parsed = AGENT_API[channel].request.safeParse(request ?? {});
  if (!parsed.success)
    return err(
      'INVALID_INPUT',
      `invalid request for ${channel}:\n${describeZodError(parsed.error)}`,
    );
  const handler = handlers[channel] as (r: unknown) => Promise<Result<unknown>>;
  return handler(parsed.data);
}

/** Answers one line; never throws. */
export async function answerLine(
  conn: ApiConnection,
  agent: AgentHandlers,
  raw: string,
): Promise<{ id: number; result: Result<unknown> }> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { id: 0, result: err('INVALID_INPUT', `malformed message: ${(e as Error).message}`) };
  }
  const call = AgentCallSchema.safeParse(json);
  if (!call.success)
    return {
      id: 0,
      result: err('INVALID_INPUT', `malformed API message:\n${describeZodError(call.error)}`),
    };
  const { id, channel, request } = call.data;
  try {
    const result =
      (await answerAgent(agent, channel, request)) ??
      (await dispatch(conn.handlers, channel, request));
    return { id, result };
  } catch (e) {
    return { id, result: { ok: false, error: toAppError(e) } };
  }
}

/** Binds one peer to the service; returns the function that feeds it bytes and the closer. */
export function openAgentSession(
  service: ApiService,
  agent: AgentHandlers,
  sink: LineSink,
  version: string,
): { push(chunk: Buffer): void; close(): void; settled(): Promise<void> } {
  const send = (msg: WireMessage): void => {
    if (sink.backlog() > MAX_AGENT_BACKLOG_BYTES) {
      sink.drop();
      return;
    }
    // Never JSON.stringify here: a value that cannot be serialised must not throw out of send.
    const text = serialiseWireMessage(msg);
    if (text !== null) sink.write(text);
  };
  const conn = service.connect(
    { send: (event, payload) => send({ type: 'event', event, payload }) },
    'agent',
  );
  sink.write(helloLine(version));
  let pending = 0;
  const waiters: (() => void)[] = [];
  const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, (e) => {
    if ('oversized' in e) {
      send({
        type: 'reply',
        id: 0,
        result: err(
          'INVALID_INPUT',
          `message of ${e.oversized} bytes is above the ${AGENT_MAX_LINE_BYTES}-byte limit`,
        ),
      });
      return;
    }
    if (e.line.trim() === '') return;
    pending++;
    void answerLine(conn, agent, e.line).then(({ id, result }) => {
      send({ type: 'reply', id, result });
      if (--pending === 0) for (const w of waiters.splice(0)) w();
    });
  });
  return {
    push: (chunk) => splitter.push(chunk),
    close: () => conn.close(),
    settled: () => (pending === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r))),
  };
}
