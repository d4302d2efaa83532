/**
 * `benchvisor agent`: relays stdin/stdout to this data folder's engine (engineDaemon.ts),
 * starting the engine first when none answers. The relay holds no state: when the SSH session
 * that started it ends, only the relay ends; the run belongs to the engine.
 */
import { createConnection, type Socket } from 'node:net';

/** How long the relay waits for a freshly started engine to answer. */
export const ENGINE_START_TIMEOUT_MS = 60_000;
/** Pause between attempts to reach a starting engine. */
const RETRY_MS = 100;
/**
 * Engines the relay tries in turn: one that closes without a word is leaving (Benchvisor was
 * updated here), and the next attempt starts the new version.
 */
const ENGINE_ATTEMPTS = 3;

export interface RelayOptions {
  socketPath: string;
  /** Starts a detached engine for this data folder. */
  startEngine(): void;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  startTimeoutMs?: number;
}

function connectOnce(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', () => resolve(null));
  });
}

/** Connects to the engine, starting it once if needed; null when it never answers. */
export async function reachEngine(opts: RelayOptions): Promise<Socket | null> {
  const first = await connectOnce(opts.socketPath);
  if (first) return first;
  opts.startEngine();
  const deadline = Date.now() + (opts.startTimeoutMs ?? ENGINE_START_TIMEOUT_MS);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, RETRY_MS));
    const s = await connectOnce(opts.socketPath);
    if (s) return s;
  }
  return null;
}

/**
 * The engine's first bytes (its hello), or null when it closes without a word. Nothing from
 * stdin is passed on before: a refused connection loses none of the client's lines.
 */
function firstWords(socket: Socket): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const onError = (): void => void socket.destroy();
    const onData = (chunk: Buffer): void => {
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.pause();
      resolve(chunk);
    };
    const onClose = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      resolve(null);
    };
    socket.once('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}

/** Pipes stdio to the engine until either side ends. Resolves with the exit code. */
export async function runStdioRelay(opts: RelayOptions): Promise<number> {
  for (let attempt = 0; attempt < ENGINE_ATTEMPTS; attempt++) {
    const socket = await reachEngine(opts);
    if (!socket) return 1;
    const first = await firstWords(socket);
    if (first) return pipe(socket, first, opts);
  }
  return 1;
}

function pipe(socket: Socket, first: Buffer, opts: RelayOptions): Promise<number> {
  opts.stdout.write(first);
  return new Promise<number>((resolve) => {
    let ended = false;
    const end = (code: number): void => {
      if (ended) return;
      ended = true;
      socket.destroy();
      resolve(code);
    };
    opts.stdin.on('data', (chunk: Buffer) => {
      if (!socket.write(chunk)) {
        opts.stdin.pause();
        socket.once('drain', () => opts.stdin.resume());
      }
    });
    // The client is done sending: the engine answers what is in flight, then closes its side.
    opts.stdin.on('end', () => socket.end());
    opts.stdin.on('error', () => end(0));
    socket.on('data', (chunk: Buffer) => {
      if (!opts.stdout.write(chunk)) {
        socket.pause();
        opts.stdout.once('drain', () => socket.resume());
      }
    });
    opts.stdout.on('error', () => end(0));
    socket.on('close', () => end(0));
    socket.on('error', () => end(1));
    socket.resume();
  });
}
