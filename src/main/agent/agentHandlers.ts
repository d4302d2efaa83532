/**
 * The agent-only channels (shared/agentProtocol.ts AGENT_API): the host's facts, and reading or
 * deleting a bundle that runs:export wrote into this instance's exports folder. Names are checked
 * by the contract (benchvisor-<id>.zip, no separators), so nothing outside that folder is reached.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_DOWNLOAD_CHUNK_BYTES, type AgentHandlers } from '../../shared/agentProtocol';
import { err, ok } from '../../shared/result';
import type { HostProbe } from '../host/hostProbe';

export function agentHandlers(exportsDir: string, host: Pick<HostProbe, 'facts'>): AgentHandlers {
  return {
    'agent:facts': async () => ok(host.facts()),
    'agent:download': async (req) => {
      let fh;
      try {
        fh = await open(join(exportsDir, req.name), 'r');
      } catch {
        return err('NOT_FOUND', `no exported bundle ${req.name}`);
      }
      try {
        const { size } = await fh.stat();
        const length = Math.max(0, Math.min(AGENT_DOWNLOAD_CHUNK_BYTES, size - req.offset));
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, req.offset);
        return ok({
          dataBase64: buf.subarray(0, bytesRead).toString('base64'),
          bytes: size,
          eof: req.offset + bytesRead >= size,
        });
      } finally {
        await fh.close();
      }
    },
    'agent:discard': async (req) => {
      const path = join(exportsDir, req.name);
      try {
        await rm(path);
        return ok({ removed: true });
      } catch {
        return ok({ removed: false });
      }
    },
  };
}
