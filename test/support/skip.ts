/**
 * Skipping with a reason. A test that cannot run here calls `skipBecause(ctx, reason)`: the
 * reason is printed, shown by vitest's reporter next to the test, and stored in the task's
 * meta so that the JSON report carries it to `npm test`'s closing line
 * (scripts/test-summary.mjs). `it.skip` / `it.skipIf` / `describe.skipIf` are forbidden by a
 * lint rule in test/ because they cannot carry a reason.
 */
import type { TestContext } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why this test was skipped (read by scripts/test-summary.mjs from the JSON report). */
    skipReason?: string;
  }
}

/** Skips the running test (call from the test or a beforeEach), recording why. */
export function skipBecause(ctx: TestContext, reason: string): never {
  ctx.task.meta.skipReason = reason;
  console.log(`skipped "${ctx.task.name}": ${reason}`);
  return ctx.skip(reason);
}

/** Skips the running test unless `condition` holds. */
export function skipUnless(ctx: TestContext, condition: unknown, reason: string): void {
  if (!condition) skipBecause(ctx, reason);
}
