/**
 * A run named on the command line. The API finds runs by id only; the CLI also
 * takes an explicit folder path, recognised by its slash (`./x`, `../x`, `/abs/x`),
 * so a bare word is always a run id and never a folder that happens to be in the cwd.
 */
import { resolve } from 'node:path';
import type { RunDetail } from '../../shared/api';
import type { RunStore } from '../store/runStore';

/** Does this argument name a folder (rather than a run id)? */
export function isFolderArg(arg: string): boolean {
  return arg.includes('/') || arg === '.' || arg === '..';
}

/** Loads the run an argument names: a folder path (resolved against cwd) or a run id. */
export function loadRunArg(store: RunStore, arg: string, cwd: string): RunDetail {
  return isFolderArg(arg) ? store.getDir(resolve(cwd, arg)) : store.get(arg);
}
