/**
 * Reads one small file out of a container through the archive API (GET
 * /containers/{id}/archive, a tar stream): no exec and no TTY are involved,
 * so nothing can be lost the way a TTY can lose a program's last output.
 */
import type Dockerode from 'dockerode';
import { extract as tarExtract } from 'tar-stream';

/** Largest file read back (a result line is a few hundred bytes). */
const MAX_FILE_BYTES = 64 * 1024;

/** The file's text, or null when it does not exist, is not a regular file or is too large. */
export async function readContainerFile(
  container: Dockerode.Container,
  path: string,
): Promise<string | null> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch {
    return null; // 404: no such file
  }
  const extract = tarExtract();
  let text: string | null = null;
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      bytes += chunk.length;
      if (bytes <= MAX_FILE_BYTES) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (text === null && header.type === 'file' && bytes <= MAX_FILE_BYTES) {
        text = Buffer.concat(chunks).toString('utf8');
      }
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    archive.on('error', reject);
    archive.pipe(extract);
  });
  return text;
}
