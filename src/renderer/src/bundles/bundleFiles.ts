/**
 * Browser-side helpers for result bundles: checking a chosen file before upload and
 * starting the download of an exported bundle in web mode.
 */
import { BUNDLE_UPLOAD_MAX_BYTES } from '../../../shared/api';
import { DOWNLOADS_PATH } from '../../../shared/wire';

/** What is wrong with a chosen file, or null when it may be uploaded. */
export function bundleFileProblem(file: { name: string; size: number }): string | null {
  if (!/\.zip$/i.test(file.name))
    return `"${file.name}" is not a Benchvisor bundle: choose a .zip file exported by Benchvisor`;
  if (file.size === 0) return `"${file.name}" is empty (0 bytes)`;
  if (file.size > BUNDLE_UPLOAD_MAX_BYTES) {
    const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(0)} MiB`;
    return `"${file.name}" is ${mib(file.size)}: bundles larger than ${mib(BUNDLE_UPLOAD_MAX_BYTES)} cannot be uploaded (use \`benchvisor import\` on the server)`;
  }
  return null;
}

/** Where web mode serves an exported bundle. */
export function downloadUrl(downloadName: string): string {
  return `${DOWNLOADS_PATH}${encodeURIComponent(downloadName)}`;
}

/** Starts the browser's download of an exported bundle (a same-origin link, clicked). */
export function startDownload(doc: Document, downloadName: string): void {
  const a = doc.createElement('a');
  a.href = downloadUrl(downloadName);
  a.download = downloadName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
}

/** "1.2 MB"-style size for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
