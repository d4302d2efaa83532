/** Static busybox plus one symlink per applet, at the paths busybox itself proposes. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppFailure } from '../../shared/result';
import { MODE_EXECUTABLE, PAYLOAD_LAYOUT } from './types';
import type { PayloadFile } from './types';

const execFileAsync = promisify(execFile);

/** Where Debian's busybox-static installs it. */
export const DEFAULT_BUSYBOX_PATH = '/bin/busybox';

/** Parses `busybox --list-full` ("usr/bin/awk" per line) into absolute paths. */
export function parseAppletList(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.includes(' '))
    .map((l) => (l.startsWith('/') ? l : `/${l}`));
}

export async function busyboxFiles(
  busyboxPath: string = DEFAULT_BUSYBOX_PATH,
): Promise<PayloadFile[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(busyboxPath, ['--list-full'], { encoding: 'utf8' }));
  } catch (e) {
    throw new AppFailure(
      'TOOL_MISSING',
      `static busybox not usable at ${busyboxPath} (${(e as Error).message}); install it: apt-get install busybox-static`,
    );
  }
  const files: PayloadFile[] = [
    { kind: 'file', dest: PAYLOAD_LAYOUT.busybox, mode: MODE_EXECUTABLE, source: busyboxPath },
  ];
  for (const dest of parseAppletList(stdout)) {
    if (dest === PAYLOAD_LAYOUT.busybox) continue;
    files.push({ kind: 'symlink', dest, target: PAYLOAD_LAYOUT.busybox });
  }
  return files;
}
