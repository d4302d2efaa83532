/**
 * Sends a bundle file to the server in chunks (runs:uploadBegin, runs:uploadChunk × n,
 * runs:import) so that a large bundle never becomes one huge message or one huge string.
 * Reads one chunk of the file at a time; reports progress after each chunk; cancels the
 * upload on the server when a chunk fails or the caller's signal fires, so nothing is left
 * half-uploaded.
 */
import type { BenchvisorApi, Response } from './api';
import { err, type Result } from './result';

/** Bytes converted per String.fromCharCode call (keeps the argument list small). */
const BASE64_CHUNK = 0x8000;

/** Standard base64 of some bytes (btoa over binary-string chunks; browsers and Node alike). */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK)));
  }
  return btoa(parts.join(''));
}

/** What the uploader needs of a File (the browser's File; a named Blob under Node). */
export interface BundleSource {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

export async function uploadBundle(
  api: Pick<BenchvisorApi, 'call'>,
  file: BundleSource,
  onProgress: UploadProgress = () => undefined,
  signal?: AbortSignal,
): Promise<Result<Response<'runs:import'>>> {
  const begun = await api.call('runs:uploadBegin', { name: file.name, bytes: file.size });
  if (!begun.ok) return begun;
  const { uploadId, chunkBytes } = begun.value;
  let offset = 0;
  onProgress(0, file.size);
  while (offset < file.size) {
    if (signal?.aborted) {
      await api.call('runs:uploadCancel', { uploadId });
      return err('CANCELLED', `the upload of ${file.name} was cancelled`);
    }
    const end = Math.min(offset + chunkBytes, file.size);
    let dataBase64: string;
    try {
      dataBase64 = bytesToBase64(new Uint8Array(await file.slice(offset, end).arrayBuffer()));
    } catch (e) {
      await api.call('runs:uploadCancel', { uploadId });
      return err(
        'IO_ERROR',
        `cannot read ${file.name}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const sent = await api.call('runs:uploadChunk', { uploadId, offset, dataBase64 });
    if (!sent.ok) {
      await api.call('runs:uploadCancel', { uploadId });
      return sent;
    }
    offset = sent.value.received;
    onProgress(offset, file.size);
  }
  return api.call('runs:import', { uploadId });
}
