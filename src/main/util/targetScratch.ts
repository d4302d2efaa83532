/**
 * Each target's own scratch folder, `<run>/scratch/<target>/` (the target id is the platform
 * id when nothing varies): the disk image of a VM, the folder Docker bind-mounts at /data.
 * One folder per target, so two targets live at once never share (or delete) each other's files.
 */
import { join } from 'node:path';

/** The scratch folder of a target of the run in `runDir`. */
export function targetScratchDir(runDir: string, targetId: string): string {
  return join(runDir, 'scratch', targetId);
}

/** The scratch folder a prepare context gives its target (the runner sets it; else from the ids). */
export function scratchDirOf(ctx: {
  runDir: string;
  target: string;
  scratchDir?: string | undefined;
}): string {
  return ctx.scratchDir ?? targetScratchDir(ctx.runDir, ctx.target);
}
