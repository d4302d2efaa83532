/**
 * The agent's engine: one detached process per data folder that owns the runs started through
 * `benchvisor agent`. It serves the agent protocol on a Unix socket in the data folder (never a
 * network port) to any number of `benchvisor agent` relays. Because it is not a child of the SSH
 * session, a dropped connection does not end a run: the next relay attaches to the same engine.
 * It stays warm between connections, as VS Code's server does, so a check and the run after it,
 * or one run and the next, do not each pay an engine start; it leaves by itself once no relay
 * has been attached and no run active for ENGINE_IDLE_MS, and at once when the Benchvisor
 * installed here has been updated (so a check never meets the old version).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { pidAlive } from '../process/pidAlive';
import type { AppService } from '../api/appService';
import type { AgentHandlers } from '../../shared/agentProtocol';
import { openAgentSession } from './agentSession';
import { UNIX_SOCKET_PATH_MAX, type AgentPaths } from './agentPaths';

/**
 * How long the engine waits, idle, for a relay before it leaves: long enough to span adding a
 * host, checking it and setting the experiment up in the wizard (then the run finds it warm,
 * about a second sooner here), short enough that an unused lab host is soon left alone.
 */
export const ENGINE_IDLE_MS = 10 * 60_000;
/** Overrides ENGINE_IDLE_MS, in whole seconds (a lab that wants the engine gone sooner or kept longer). */
export const ENGINE_IDLE_ENV = 'BENCHVISOR_AGENT_IDLE_S';
/** The longest idle time the variable may ask for: one day. */
const ENGINE_IDLE_MAX_S = 86_400;
/** How long a fresh engine waits for its first relay. */
export const ENGINE_FIRST_CLIENT_MS = 30_000;

export interface DaemonOptions {
  paths: AgentPaths;
  app: AppService;
  agent: AgentHandlers;
  version: string;
  idleMs?: number;
  /** True once the Benchvisor installed here is not the one this engine runs (rebuilt, upgraded). */
  installChanged?: () => boolean;
  log?: (line: string) => void;
  /** Resolves when the engine must leave now (SIGINT/SIGTERM): the active run is cancelled. */
  stop?: Promise<void>;
}

/** The idle time asked for by ENGINE_IDLE_ENV, or the default with the reason it was not taken. */
export function engineIdleMs(env: NodeJS.ProcessEnv): { ms: number; problem?: string } {
  const raw = env[ENGINE_IDLE_ENV];
  if (raw === undefined || raw === '') return { ms: ENGINE_IDLE_MS };
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > ENGINE_IDLE_MAX_S)
    return {
      ms: ENGINE_IDLE_MS,
      problem: `${ENGINE_IDLE_ENV}=${raw} is not a whole number of seconds from 1 to ${ENGINE_IDLE_MAX_S}: idling ${ENGINE_IDLE_MS / 1000} s`,
    };
  return { ms: seconds * 1000 };
}

/** True when another engine answers on the socket. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The pid an engine wrote into its pid file; null when there is none or it is unreadable. */
export function readEnginePid(pidFile: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the pid file; false when a live engine holds it. */
function claimPidFile(path: string): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch {
    const pid = readEnginePid(path);
    if (pid !== null && pid !== process.pid && pidAlive(pid)) return false;
    writeFileSync(path, `${process.pid}\n`);
    return true;
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function attach(socket: Socket, opts: DaemonOptions): () => void {
  const session = openAgentSession(
    opts.app.service,
    opts.agent,
    {
      write: (line) => {
        if (!socket.destroyed) socket.write(line + '\n');
      },
      backlog: () => socket.writableLength,
      drop: () => socket.destroy(),
    },
    opts.version,
  );
  socket.on('data', (chunk: Buffer) => session.push(chunk));
  // The relay's stdin ended: answer what is in flight, then close our side.
  socket.on('end', () => void session.settled().then(() => socket.end()));
  socket.on('error', () => socket.destroy());
  return () => session.close();
}

/**
 * Serves until idle. Resolves 'served' after a clean idle exit, 'taken' when another engine
 * already serves this data folder.
 */
export async function runEngineDaemon(opts: DaemonOptions): Promise<'served' | 'taken'> {
  const { paths } = opts;
  const log = opts.log ?? (() => {});
  if (paths.socket.length > UNIX_SOCKET_PATH_MAX)
    throw new Error(`the agent socket path is too long for a Unix socket: ${paths.socket}`);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  if (!claimPidFile(paths.pidFile)) return 'taken';
  if (await socketAnswers(paths.socket)) return 'taken';
  rmSync(paths.socket, { force: true });
  let clients = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const idleMs = opts.idleMs ?? ENGINE_IDLE_MS;
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    // Updated here and nobody to disturb: refuse without a word (the relay then starts the new
    // version) and leave.
    if (clients === 0 && opts.app.service.activeRunId === null && opts.installChanged?.()) {
      log(`engine ${process.pid}: Benchvisor here was updated, leaving for the new version`);
      socket.destroy();
      done();
      return;
    }
    clients++;
    if (idleTimer) clearTimeout(idleTimer);
    const detach = attach(socket, opts);
    socket.on('close', () => {
      clients--;
      detach();
      armIdle(opts.installChanged?.() ? 0 : idleMs);
    });
  });
  const armIdle = (ms: number): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (clients > 0) return;
      if (opts.app.service.activeRunId !== null) return armIdle(idleMs);
      done();
    }, ms);
  };
  await listen(server, paths.socket);
  log(`engine ${process.pid} serving ${paths.socket}`);
  armIdle(ENGINE_FIRST_CLIENT_MS);
  void opts.stop?.then(() => done());
  await finished;
  // Leaving for another reason than the timer (a signal, an update) must not wait for it.
  if (idleTimer) clearTimeout(idleTimer);
  log(`engine ${process.pid} leaving`);
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(paths.socket, { force: true });
  rmSync(paths.pidFile, { force: true });
  await opts.app.dispose();
  return 'served';
}
