/**
 * Handlers for the 'runs:export' and 'runs:import' API channels, built from
 * what the API service already has (runsDir and getRun). The service spreads
 * them into its handler table: `...bundleHandlers({ runsDir, getRun, exportsDir })`.
 */
import { dirname, join } from 'node:path';
import type { ApiHandlers, RunDetail } from '../../shared/api';
import { err, ok, toAppError } from '../../shared/result';
import { exportRunDetail } from './bundleWriter';
import { importBundle } from './bundleReader';

export interface BundleApiDeps {
  runsDir: string;
  getRun(runId: string): Promise<RunDetail | null>;
  /** Where exported bundles are written (default: "exports" next to the runs folder). */
  exportsDir?: string;
}

/** The download name of a run's bundle: "benchvisor-<runId>.zip". */
export function bundleFileName(runId: string): string {
  return `benchvisor-${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
}

export function bundleHandlers(
  deps: BundleApiDeps,
): Pick<ApiHandlers, 'runs:export' | 'runs:import'> {
  const exportsDir = deps.exportsDir ?? join(dirname(deps.runsDir), 'exports');
  return {
    'runs:export': async (req) => {
      try {
        const detail = await deps.getRun(req.runId);
        if (!detail) return err('NOT_FOUND', `no run with id "${req.runId}"`);
        const downloadName = bundleFileName(detail.item.runId);
        const res = await exportRunDetail(detail, join(exportsDir, downloadName));
        return ok({ file: res.file, bytes: res.bytes, downloadName });
      } catch (e) {
        return { ok: false, error: toAppError(e) };
      }
    },
    'runs:import': async (req) => {
      try {
        const source = req.file ?? Buffer.from(req.dataBase64 ?? '', 'base64');
        const res = await importBundle(source, { runsDir: deps.runsDir });
        return ok(res);
      } catch (e) {
        return { ok: false, error: toAppError(e) };
      }
    },
  };
}
