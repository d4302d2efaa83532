/**
 * The agent protocol: the engine's typed API (api.ts) over a byte stream, one JSON message per
 * line — the stdio of `benchvisor agent`, reached through SSH by a desktop app. The messages are
 * the WebSocket binding's (wire.ts WireCall / WireMessage), after a version handshake: the agent's
 * first line is a hello naming its protocol and version. A few agent-only channels (`agent:*`)
 * carry what a remote client needs beyond the app's contract: the host's facts and the bytes of
 * an exported bundle.
 */
import { z } from 'zod';
import type { Result } from './result';

/** Bumped whenever a message changes incompatibly; both sides must speak the same one. */
export const AGENT_PROTOCOL = 1;

/** Largest line either side accepts (one download chunk in base64 plus its envelope). */
export const AGENT_MAX_LINE_BYTES = 2 * 1024 * 1024;
/** Bundle bytes per agent:download reply (base64 makes it 4/3 larger on the wire). */
export const AGENT_DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

export const AgentHelloSchema = z.object({
  type: z.literal('hello'),
  /** Always "benchvisor-agent": tells a Benchvisor agent from any other program's output. */
  agent: z.literal('benchvisor-agent'),
  protocol: z.number().int(),
  version: z.string().max(100),
});
export type AgentHello = z.infer<typeof AgentHelloSchema>;

/** What a host tells about itself (its engine's view; the run's environment.json has more). */
export const HostFactsSchema = z.object({
  hostname: z.string().max(256),
  cpuModel: z.string().max(256),
  cores: z.number().int(),
  memoryMiB: z.number(),
  kernel: z.string().max(256),
  arch: z.string().max(64),
  /** Whether the host is itself a virtual machine (from /proc/cpuinfo's hypervisor flag). */
  virtualized: z.boolean().nullable(),
});
export type HostFacts = z.infer<typeof HostFactsSchema>;

/** A file name inside the agent's exports folder, as runs:export returned it (downloadName). */
const ExportName = z.string().regex(/^benchvisor-[A-Za-z0-9._-]{1,200}\.zip$/, 'not a bundle name');

/** Channels only the agent answers (on top of api.ts). */
export const AGENT_API = {
  'agent:facts': { request: z.strictObject({}), response: HostFactsSchema },
  /** A slice of an exported bundle (runs:export's downloadName), from `offset`. */
  'agent:download': {
    request: z.strictObject({
      name: ExportName,
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    }),
    response: z.object({
      dataBase64: z.string().max(Math.ceil(AGENT_DOWNLOAD_CHUNK_BYTES / 3) * 4),
      bytes: z.number().int().min(0),
      eof: z.boolean(),
    }),
  },
  /** Deletes an exported bundle once it has been copied home. */
  'agent:discard': {
    request: z.strictObject({ name: ExportName }),
    response: z.object({ removed: z.boolean() }),
  },
} as const;
export type AgentChannel = keyof typeof AGENT_API;
export type AgentResponse<C extends AgentChannel> = z.infer<(typeof AGENT_API)[C]['response']>;
export type AgentHandlers = {
  [C in AgentChannel]: (
    request: z.infer<(typeof AGENT_API)[C]['request']>,
  ) => Promise<Result<AgentResponse<C>>>;
};

export function isAgentChannel(name: string): name is AgentChannel {
  return Object.prototype.hasOwnProperty.call(AGENT_API, name);
}

/** Client → agent: one call (the WebSocket binding's WireCall). */
export const AgentCallSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  request: z.unknown().optional(),
});

/** Agent → client: a reply or an event (after the hello). */
export const AgentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string().max(100), payload: z.unknown() }),
]);
export type AgentMessage = z.infer<typeof AgentMessageSchema>;
