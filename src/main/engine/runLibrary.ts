/**
 * The finished runs of this machine, as the API service lists, opens and deletes them (over
 * the run store). Run ids are folder names and never a path: web clients must not open
 * arbitrary folders.
 */
import type { RunDetail } from '../../shared/api';
import { AppFailure } from '../../shared/result';
import type { RunListItem } from '../../shared/run';

/** A run id: a folder name, never a path. */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface RunLibrary {
  listRuns(): Promise<RunListItem[]>;
  /** Null when no such run exists. */
  getRun(runId: string): Promise<RunDetail | null>;
  /** Deletes a finished run's folder; false when no such run exists. */
  deleteRun(runId: string): Promise<boolean>;
}

/** What the library uses of the run store. */
export interface RunFolders {
  list(): RunListItem[];
  get(runId: string): RunDetail;
  remove(runId: string): void;
}

const notFound = (e: unknown) => e instanceof AppFailure && e.code === 'NOT_FOUND';

export function runLibrary(store: RunFolders): RunLibrary {
  return {
    listRuns: async () => store.list(),
    getRun: async (runId) => {
      if (!RUN_ID_PATTERN.test(runId)) return null;
      try {
        return store.get(runId);
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    deleteRun: async (runId) => {
      if (!RUN_ID_PATTERN.test(runId)) return false;
      try {
        store.remove(runId);
        return true;
      } catch (e) {
        if (notFound(e)) return false;
        throw e;
      }
    },
  };
}
