/**
 * Chunked bundle uploads (web mode): a browser declares a bundle's size, sends
 * it in ordered chunks, then imports it by upload id. Chunks are appended to a
 * file on disk, so neither the browser nor the server holds a whole bundle in
 * memory and no WebSocket message is large.
 *
 * An upload that receives no chunk for UPLOAD_IDLE_TIMEOUT_MS expires (its slot and file are
 * freed), so a client that begins uploads and goes quiet cannot hold every slot forever.
 *
 * Files live in a folder of their own per server process,
 * `<root>/<pid>-<random>/`, removed by discardAll() (server exit). Folders left
 * by a process that died are swept when the next process starts an upload.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../shared/result';
import { pidAlive } from '../process/pidAlive';

/** Uploads one server may have open at once (each may be up to the bundle size limit). */
export const MAX_OPEN_UPLOADS = 4;
/**
 * An upload with no chunk for this long expires. A chunk is 4 MiB: even at 1 Mbit/s one
 * arrives within about 35 s, so three minutes of silence means the client went away.
 */
export const UPLOAD_IDLE_TIMEOUT_MS = 3 * 60_000;
/** How often expired uploads are looked for (besides at every begin and chunk). */
const EXPIRY_SWEEP_MS = 30_000;

export interface BundleUploadsOptions {
  /** Idle time after which an upload expires (tests shorten it). */
  idleTimeoutMs?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

interface Upload {
  name: string;
  path: string;
  declared: number;
  received: number;
  /** When the upload began or its last chunk arrived (ms, from the clock). */
  lastActive: number;
  /** Set while a chunk is being written: chunks of one upload never overlap. */
  busy: boolean;
}

export class BundleUploads {
  private readonly uploads = new Map<string, Upload>();
  private folder: string | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;

  /** `root`: the parent of the per-process upload folders (the app's "uploads" folder). */
  constructor(
    private readonly root: string,
    options: BundleUploadsOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? UPLOAD_IDLE_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  get open(): number {
    return this.uploads.size;
  }

  /** Is this upload still in progress (not taken, discarded or unknown)? */
  has(id: string): boolean {
    return this.uploads.has(id);
  }

  /** Starts an upload of `bytes` bytes; returns its id. */
  async begin(name: string, bytes: number): Promise<string> {
    await this.expireIdle();
    if (this.uploads.size >= MAX_OPEN_UPLOADS) {
      throw new AppFailure(
        'BUSY',
        `${MAX_OPEN_UPLOADS} bundle uploads are already in progress; wait for one to finish`,
      );
    }
    const id = randomUUID();
    const path = join(this.ensureFolder(), `${id}.zip.part`);
    await writeFile(path, new Uint8Array(0), { flag: 'wx' });
    this.uploads.set(id, {
      name,
      path,
      declared: bytes,
      received: 0,
      lastActive: this.now(),
      busy: false,
    });
    return id;
  }

  /** Appends a chunk at `offset`; returns the bytes received so far. */
  async append(id: string, offset: number, data: Uint8Array): Promise<number> {
    await this.expireIdle();
    const up = this.get(id);
    if (up.busy)
      throw new AppFailure(
        'BUSY',
        `upload of ${up.name}: the previous chunk is still being written`,
      );
    if (offset !== up.received) {
      throw new AppFailure(
        'INVALID_INPUT',
        `upload of ${up.name}: a chunk at byte ${offset} arrived, but ${up.received} bytes have been received; chunks must come in order`,
      );
    }
    if (up.received + data.length > up.declared) {
      await this.discard(id);
      throw new AppFailure(
        'BUNDLE_INVALID',
        `upload of ${up.name}: more bytes arrived than the ${up.declared} declared; the upload was discarded`,
      );
    }
    up.busy = true;
    try {
      await appendFile(up.path, data);
    } catch (e) {
      await this.discard(id);
      throw new AppFailure(
        'IO_ERROR',
        `upload of ${up.name}: cannot store the chunk: ${(e as Error).message}`,
      );
    } finally {
      up.busy = false;
    }
    up.received += data.length;
    up.lastActive = this.now();
    return up.received;
  }

  /**
   * Hands a complete upload's file to the caller, who owns it from then on
   * (and removes it after importing). An incomplete upload is an error.
   */
  take(id: string): string {
    const up = this.get(id);
    if (up.busy || up.received !== up.declared) {
      throw new AppFailure(
        'INVALID_INPUT',
        `upload of ${up.name} is incomplete: ${up.received} of ${up.declared} bytes received`,
      );
    }
    this.uploads.delete(id);
    return up.path;
  }

  /** Abandons an upload and deletes its file; false when there was no such upload. */
  async discard(id: string): Promise<boolean> {
    const up = this.uploads.get(id);
    if (!up) return false;
    this.uploads.delete(id);
    await rm(up.path, { force: true });
    return true;
  }

  /** Discards every upload that received nothing for the idle timeout; returns how many. */
  async expireIdle(): Promise<number> {
    const cutoff = this.now() - this.idleTimeoutMs;
    const idle = [...this.uploads].filter(([, up]) => !up.busy && up.lastActive <= cutoff);
    for (const [id] of idle) await this.discard(id);
    return idle.length;
  }

  /** Removes every upload of this process and their folder (server exit). */
  discardAll(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.uploads.clear();
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  private get(id: string): Upload {
    const up = this.uploads.get(id);
    if (!up)
      throw new AppFailure(
        'NOT_FOUND',
        `no such upload (it finished, was cancelled, its connection closed, or it expired after ${Math.round(this.idleTimeoutMs / 1000)} s without a chunk)`,
      );
    return up;
  }

  private ensureFolder(): string {
    if (this.folder) return this.folder;
    mkdirSync(this.root, { recursive: true });
    sweepDeadFolders(this.root);
    this.folder = mkdtempSync(join(this.root, `${process.pid}-`));
    // Frees the disk of abandoned uploads even when no one begins another.
    this.sweepTimer = setInterval(() => void this.expireIdle().catch(() => {}), EXPIRY_SWEEP_MS);
    this.sweepTimer.unref();
    return this.folder;
  }
}

/** Removes upload folders whose owning process (the pid in the name) is gone. */
function sweepDeadFolders(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}
