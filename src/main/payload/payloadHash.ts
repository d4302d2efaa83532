/**
 * A content hash of the payload for caching (image tags, initramfs files):
 * it changes when any path, mode, link target or file content changes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { PayloadFile } from './types';

/** Hex characters kept for tags and file names (64 bits: collisions are not a concern here). */
export const SHORT_HASH_LENGTH = 16;

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Full sha256 (hex) over the entries sorted by destination. */
export async function payloadHash(files: readonly PayloadFile[]): Promise<string> {
  const sorted = [...files].sort((a, b) => (a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0));
  const digests = await Promise.all(
    sorted.map(async (f) => {
      switch (f.kind) {
        case 'file':
          return `file ${f.dest} ${f.mode.toString(8)} ${await fileDigest(f.source)}`;
        case 'inline':
          return `inline ${f.dest} ${f.mode.toString(8)} ${createHash('sha256').update(f.content).digest('hex')}`;
        case 'symlink':
          return `symlink ${f.dest} ${f.target}`;
        case 'dir':
          return `dir ${f.dest} ${f.mode.toString(8)}`;
      }
    }),
  );
  return createHash('sha256').update(digests.join('\n')).digest('hex');
}

/** The first SHORT_HASH_LENGTH hex characters of payloadHash. */
export async function shortPayloadHash(files: readonly PayloadFile[]): Promise<string> {
  return (await payloadHash(files)).slice(0, SHORT_HASH_LENGTH);
}
