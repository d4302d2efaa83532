/**
 * Where the agent keeps its engine's rendezvous: `<data folder>/agent/` (mode 0700) with the
 * engine's Unix socket, its pid file and its log. A Unix socket in a private folder is reached by
 * this user only; the agent never listens on a network port.
 */
import { join } from 'node:path';

export interface AgentPaths {
  dir: string;
  socket: string;
  pidFile: string;
  log: string;
}

/** Longest path a Unix socket may have on Linux (sun_path is 108 bytes with its NUL). */
export const UNIX_SOCKET_PATH_MAX = 107;

export function agentPaths(dataDir: string): AgentPaths {
  const dir = join(dataDir, 'agent');
  return {
    dir,
    socket: join(dir, 'engine.sock'),
    pidFile: join(dir, 'engine.pid'),
    log: join(dir, 'engine.log'),
  };
}
