/**
 * Handlers for the bundle API channels (export, chunked upload, import), built
 * from what the API service already has (runsDir, getRun, the upload store).
 * The service wraps the upload channels with its per-connection ownership check.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UPLOAD_CHUNK_BYTES, type ApiHandlers, type RunDetail } from '../../shared/api';
import { AppFailure, ok, toAppError, type Result } from '../../shared/result';
import { exportRunDetail } from './bundleWriter';
import { importBundle } from './bundleReader';
import type { BundleUploads } from './bundleUploads';
import type { ImportStaging } from './importStaging';

export type BundleChannel =
  'runs:export' | 'runs:import' | 'runs:uploadBegin' | 'runs:uploadChunk' | 'runs:uploadCancel';

export interface BundleApiDeps {
  runsDir: string;
  getRun(runId: string): Promise<RunDetail | null>;
  /** Where exported bundles are written (the instance's data folder). */
  exportsDir: string;
  /** Chunked uploads in progress. */
  uploads: BundleUploads;
  /** Staging folders of imports (the shells remove them on exit). */
  staging?: ImportStaging;
}

/** The download name of a run's bundle: "benchvisor-<runId>.zip". */
export function bundleFileName(runId: string): string {
  return `benchvisor-${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
}

/** Runs a handler body, turning a thrown AppFailure into an error value. */
async function settle<T>(body: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await body());
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}

export function bundleHandlers(deps: BundleApiDeps): Pick<ApiHandlers, BundleChannel> {
  const exportsDir = deps.exportsDir;
  const importOptions = {
    runsDir: deps.runsDir,
    ...(deps.staging ? { staging: deps.staging } : {}),
  };
  return {
    'runs:export': (req) =>
      settle(async () => {
        const detail = await deps.getRun(req.runId);
        if (!detail) throw new AppFailure('NOT_FOUND', `no run with id "${req.runId}"`);
        const downloadName = bundleFileName(detail.item.runId);
        const res = await exportRunDetail(detail, join(exportsDir, downloadName));
        return { file: res.file, bytes: res.bytes, downloadName };
      }),
    'runs:uploadBegin': (req) =>
      settle(async () => ({
        uploadId: await deps.uploads.begin(req.name, req.bytes),
        chunkBytes: UPLOAD_CHUNK_BYTES,
      })),
    'runs:uploadChunk': (req) =>
      settle(async () => ({
        received: await deps.uploads.append(
          req.uploadId,
          req.offset,
          Buffer.from(req.dataBase64, 'base64'),
        ),
      })),
    'runs:uploadCancel': (req) =>
      settle(async () => ({ cancelled: await deps.uploads.discard(req.uploadId) })),
    'runs:import': (req) =>
      settle(async () => {
        if (req.file !== undefined) return importBundle(req.file, importOptions);
        const path = deps.uploads.take(req.uploadId ?? '');
        try {
          return await importBundle(path, importOptions);
        } finally {
          await rm(path, { force: true });
        }
      }),
  };
}
