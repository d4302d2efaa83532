/**
 * Browser-side helpers for result bundles: checking a chosen file before upload, encoding it
 * for runs:import, and starting the download of an exported bundle in web mode.
 */
import { BUNDLE_UPLOAD_MAX_BASE64 } from '../../../shared/api';
import { DOWNLOADS_PATH } from '../../../shared/wire';

/** Largest bundle the API accepts as an upload (its base64 limit, in bytes of zip). */
export const MAX_UPLOAD_BYTES = Math.floor(BUNDLE_UPLOAD_MAX_BASE64 / 4) * 3;
/** Bytes converted per String.fromCharCode call (keeps the argument list small). */
const BASE64_CHUNK = 0x8000;

/** What is wrong with a chosen file, or null when it may be uploaded. */
export function bundleFileProblem(file: { name: string; size: number }): string | null {
  if (!/\.zip$/i.test(file.name))
    return `"${file.name}" is not a Benchvisor bundle: choose a .zip file exported by Benchvisor`;
  if (file.size === 0) return `"${file.name}" is empty (0 bytes)`;
  if (file.size > MAX_UPLOAD_BYTES) {
    const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(0)} MiB`;
    return `"${file.name}" is ${mib(file.size)}: bundles larger than ${mib(MAX_UPLOAD_BYTES)} cannot be uploaded (use \`benchvisor import\` on the server)`;
  }
  return null;
}

/** Standard base64 of some bytes (btoa over binary-string chunks). */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK)));
  }
  return btoa(parts.join(''));
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
