/**
 * The agent-only channels (shared/agentProtocol.ts AGENT_API): the host's facts, and reading or
 * deleting a bundle that runs:export wrote into this instance's exports folder. Names are checked
 * by the contract (benchvisor-<id>.zip, no separators), so nothing outside that folder is reached.
 */
import { readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { AGENT_DOWNLOAD_CHUNK_BYTES, type AgentHandlers } from '../../shared/agentProtocol';
import { err, ok } from '../../shared/result';

const MiB = 1024 * 1024;

function hostVirtualized(): boolean | null {
  try {
    return /\bhypervisor\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

export function agentHandlers(exportsDir: string): AgentHandlers {
  return {
    'agent:facts': async () => {
      const list = cpus();
      return ok({
        hostname: hostname(),
        cpuModel: list[0]?.model.trim() ?? 'unknown',
        cores: list.length,
        memoryMiB: Math.round(totalmem() / MiB),
        kernel: release(),
        arch: arch(),
        virtualized: hostVirtualized(),
      });
    },
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
