/**
 * One booted guest (or one started container) per test file, reused by its tests: booting is
 * what costs (a TCG boot is tens of seconds on two busy cores), and the tests of a file ask
 * different things of the same kind of guest. `oncePerFile` opens the thing in the file's
 * beforeAll, hands it to every test, and closes it in afterAll, where the file also checks that
 * nothing of its own is left behind (the `leftovers` check, scoped to the file's own processes
 * or containers). A test whose subject is the boot, a crash or a cancel itself still starts its
 * own, and says so in a comment.
 *
 * A failed open fails every test of the file with the open's error (never a silent skip); a
 * `skip` reason (e.g. BENCHVISOR_SKIP_DOCKER=1) leaves it unopened, and the tests skip
 * themselves with that reason before they ask for it.
 */
import { afterAll, beforeAll, expect } from 'vitest';

export interface OncePerFileOptions<T> {
  /** What it is, for messages ("the qcow2 TCG guest"). */
  what: string;
  open: () => Promise<T>;
  close: (value: T) => Promise<void>;
  /**
   * Called after close (with what open gave, undefined when it failed): returns what is still
   * there (a pid, a container name), [] when clean.
   */
  leftovers?: (value: T | undefined) => Promise<unknown[]> | unknown[];
  /** When this returns a reason, nothing is opened (the tests skip with that reason themselves). */
  skip?: () => string | null;
}

/** Registers the file's beforeAll/afterAll and returns the accessor for its tests. */
export function oncePerFile<T>(opts: OncePerFileOptions<T>): () => T {
  let value: T | undefined;
  let opened = false;
  let openError: unknown;
  beforeAll(async () => {
    if (opts.skip?.()) return;
    try {
      value = await opts.open();
      opened = true;
    } catch (e) {
      openError = e;
      throw e;
    }
  });
  afterAll(async () => {
    if (opened) await opts.close(value as T);
    if (opts.leftovers && !opts.skip?.())
      expect(await opts.leftovers(value), `${opts.what}: left behind`).toEqual([]);
  });
  return () => {
    if (!opened)
      throw new Error(
        `${opts.what} is not open${openError ? `: ${(openError as Error).message}` : ''}`,
      );
    return value as T;
  };
}
