/**
 * A target whose session is live (opened by targetRun.ts openTarget, ended by closeTarget):
 * what measuring one of its repetitions needs. Several may be live at once; nothing here
 * assumes one per platform.
 */
import type { Target } from '../../shared/targets';
import type { Platform, PlatformSession } from '../platforms/platform';
import type { CellState } from './cellState';

export interface LiveTarget {
  readonly platform: Platform;
  readonly target: Target;
  /** The session, watched: a guest's death is seen by dead(). */
  readonly session: PlatformSession;
  /** The target's resolved shape and the session's facts read at prepare (every sample's meta). */
  readonly meta: Record<string, unknown>;
  /** How the log names it (the platform id, with the label when it varies). */
  readonly name: string;
  /** Why its guest or container died, or null while it lives. */
  dead(): string | null;
}

/** One target's share of the run: its platform, the target and its cells' lasting state. */
export interface TargetWork {
  readonly platform: Platform;
  readonly target: Target;
  readonly cells: readonly CellState[];
}
