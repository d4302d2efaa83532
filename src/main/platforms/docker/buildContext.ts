/**
 * Writes the docker build context as a tar stream: a Dockerfile
 * (FROM scratch + COPY of the payload) and the payload under rootfs/.
 */
import { readFile } from 'node:fs/promises';
import { pack as tarPack } from 'tar-stream';
import type { Pack } from 'tar-stream';
import type { PayloadFile } from '../../payload';
import { LABEL_OWNER, LABEL_PAYLOAD } from './labels';

/** Folder inside the context holding the image's root file system. */
const ROOTFS = 'rootfs';
/** The idle process a container runs while repetitions are exec'd into it (about 68 years). */
export const IDLE_COMMAND = ['/bin/busybox', 'sleep', '2147483647'];

export function dockerfile(hash: string): string {
  return [
    'FROM scratch',
    `COPY ${ROOTFS}/ /`,
    `LABEL ${LABEL_OWNER}="1" ${LABEL_PAYLOAD}="${hash}"`,
    'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin:/bench',
    `CMD ${JSON.stringify(IDLE_COMMAND)}`,
    '',
  ].join('\n');
}

function addEntry(
  pack: Pack,
  header: Parameters<Pack['entry']>[0],
  body?: Buffer | string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    if (body === undefined) pack.entry(header, cb);
    else pack.entry(header, body, cb);
  });
}

async function writeEntries(
  pack: Pack,
  files: readonly PayloadFile[],
  hash: string,
): Promise<void> {
  await addEntry(pack, { name: 'Dockerfile', mode: 0o644 }, dockerfile(hash));
  for (const f of files) {
    const name = `${ROOTFS}${f.dest}`;
    switch (f.kind) {
      case 'dir':
        await addEntry(pack, { name, type: 'directory', mode: f.mode });
        break;
      case 'symlink':
        await addEntry(pack, { name, type: 'symlink', linkname: f.target, mode: 0o777 });
        break;
      case 'inline':
        await addEntry(pack, { name, mode: f.mode }, f.content);
        break;
      case 'file':
        await addEntry(pack, { name, mode: f.mode }, await readFile(f.source));
        break;
    }
  }
  pack.finalize();
}

/** The build context as a readable tar stream (entries are written as the stream is consumed). */
export function buildContextStream(files: readonly PayloadFile[], hash: string): Pack {
  const pack = tarPack();
  writeEntries(pack, files, hash).catch((e: unknown) => pack.destroy(e as Error));
  return pack;
}
