/**
 * The bundle channels of one connection (export, chunked upload, import): an upload is
 * visible only to the connection that began it, and a server-side path is imported only for
 * the desktop window (a browser or a remote app uploads the bundle).
 */
import type { ApiHandlers } from '../../shared/api';
import { err } from '../../shared/result';
import { bundleHandlers, type BundleApiDeps, type BundleChannel } from '../export/apiHandlers';
import type { BundleUploads } from '../export/bundleUploads';

/** What a connection holds of the uploads. */
export interface UploadOwner {
  /** Bundle uploads this connection started (discarded when it closes). */
  uploads: Set<string>;
  /** Only the desktop window may import a server-side path. */
  mayImportPath: boolean;
}

export function uploadHandlers(
  deps: Omit<BundleApiDeps, 'uploads'>,
  uploads: BundleUploads,
  owner: UploadOwner,
): Pick<ApiHandlers, BundleChannel> {
  const bundles = bundleHandlers({ ...deps, uploads });
  const notMine = (uploadId: string) =>
    owner.uploads.has(uploadId)
      ? null
      : err<never>('NOT_FOUND', 'no such upload on this connection');
  // An upload the store no longer has (imported, or discarded after a bad chunk) is forgotten.
  const forgetIfGone = (uploadId: string): void => {
    if (!uploads.has(uploadId)) owner.uploads.delete(uploadId);
  };
  return {
    'runs:export': bundles['runs:export'],
    'runs:uploadBegin': async (req) => {
      const res = await bundles['runs:uploadBegin'](req);
      if (res.ok) owner.uploads.add(res.value.uploadId);
      return res;
    },
    'runs:uploadChunk': async (req) => {
      const refused = notMine(req.uploadId);
      if (refused) return refused;
      const res = await bundles['runs:uploadChunk'](req);
      forgetIfGone(req.uploadId);
      return res;
    },
    'runs:uploadCancel': async (req) => {
      const refused = notMine(req.uploadId);
      if (refused) return refused;
      owner.uploads.delete(req.uploadId);
      return bundles['runs:uploadCancel'](req);
    },
    'runs:import': async (req) => {
      if (!owner.mayImportPath && req.file !== undefined) {
        return err(
          'UNAUTHORIZED',
          'web clients import by uploading the bundle (runs:uploadBegin/uploadChunk), not by server path',
        );
      }
      if (req.uploadId === undefined) return bundles['runs:import'](req);
      const refused = notMine(req.uploadId);
      if (refused) return refused;
      const res = await bundles['runs:import'](req);
      forgetIfGone(req.uploadId);
      return res;
    },
  };
}
