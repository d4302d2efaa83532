/**
 * Tracks every child process and container we start so that cancel, crash
 * and exit can clean them all up. Passed in to whoever starts processes.
 */
export interface Tracked {
  /** Human label for logs ("qemu-tcg guest", "nginx native"). */
  label: string;
  /** Ends the resource; must be idempotent and never throw. */
  kill(): Promise<void> | void;
}

export class ProcessTracker {
  private readonly items = new Map<number, Tracked>();
  private nextId = 1;

  /** Registers a resource; returns a function that unregisters it (call when it ended by itself). */
  track(item: Tracked): () => void {
    const id = this.nextId++;
    this.items.set(id, item);
    return () => {
      this.items.delete(id);
    };
  }

  get size(): number {
    return this.items.size;
  }

  labels(): string[] {
    return [...this.items.values()].map((i) => i.label);
  }

  /** Kills everything still tracked (newest first). */
  async killAll(): Promise<void> {
    const entries = [...this.items.entries()].reverse();
    this.items.clear();
    await Promise.all(
      entries.map(async ([, item]) => {
        try {
          await item.kill();
        } catch {
          /* best effort: the resource may already be gone */
        }
      }),
    );
  }

  /** Synchronous last-chance cleanup for process 'exit' handlers (SIGKILL to pids). */
  killAllSync(): void {
    for (const item of this.items.values()) {
      try {
        void item.kill();
      } catch {
        /* ignore */
      }
    }
    this.items.clear();
  }
}
