/**
 * Desktop Export: the bundle runs:export wrote into the exports folder is copied to where the
 * user chose in a save dialog. The dialog is passed in (the Electron shell owns it), so this
 * stays plain Node and testable.
 */
import { copyFile, stat } from 'node:fs/promises';
import type { Response } from '../../shared/api';
import { err, ok, toAppError } from '../../shared/result';
import type { Result } from '../../shared/result';

export type ExportResponse = Response<'runs:export'>;

/** Asks the user where to save a file; null when they cancelled. */
export type AskSavePath = (defaultName: string) => Promise<string | null>;

/** Copies the exported bundle to the chosen path; CANCELLED when no path was chosen. */
export async function saveExportAs(
  exported: ExportResponse,
  askSavePath: AskSavePath,
): Promise<Result<ExportResponse>> {
  let target: string | null;
  try {
    target = await askSavePath(exported.downloadName);
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
  if (target === null) return err('CANCELLED', 'export cancelled: no file was chosen');
  if (target === exported.file) return ok(exported);
  try {
    await copyFile(exported.file, target);
    const { size } = await stat(target);
    return ok({ ...exported, file: target, bytes: size });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return err('IO_ERROR', `could not save the bundle to ${target}: ${message}`);
  }
}
