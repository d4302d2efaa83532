/**
 * Reading a config file safely: it must be a regular file (not /dev/zero, a FIFO
 * or a directory) of at most CONFIG_FILE_MAX_BYTES. The file is opened without
 * blocking (a FIFO would otherwise wait for a writer forever) and checked on the
 * open descriptor, so what is checked is what is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest config file read (a real one is a few KiB). */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;

/** The text of a config file, or the reason it cannot be one. */
export function readConfigText(
  path: string,
): { ok: true; text: string } | { ok: false; message: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, message: `cannot read config file ${path}: ${(e as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const what = st.isDirectory()
        ? 'a directory'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isFIFO()
            ? 'a pipe'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
      return {
        ok: false,
        message: `config file ${path} is ${what}: a config must be a regular file`,
      };
    }
    if (st.size > CONFIG_FILE_MAX_BYTES) {
      return {
        ok: false,
        message: `config file ${path} is ${st.size} bytes, above the ${CONFIG_FILE_MAX_BYTES / 1024} KiB limit for a config`,
      };
    }
    // Read at most one byte beyond the cap: a file that grew meanwhile is refused too.
    const buf = Buffer.alloc(CONFIG_FILE_MAX_BYTES + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > CONFIG_FILE_MAX_BYTES) {
        return {
          ok: false,
          message: `config file ${path} is above the ${CONFIG_FILE_MAX_BYTES / 1024} KiB limit for a config`,
        };
      }
    }
    return { ok: true, text: buf.subarray(0, n).toString('utf8') };
  } catch (e) {
    return { ok: false, message: `cannot read config file ${path}: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
