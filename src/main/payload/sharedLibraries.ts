/**
 * Finds the shared libraries (DT_NEEDED, transitively) and the program
 * interpreter of a dynamically linked ELF executable by parsing `ldd` output.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppFailure } from '../../shared/result';

const execFileAsync = promisify(execFile);

/** Libraries provided by the kernel itself: no file to copy. */
const VIRTUAL_LIBRARIES = ['linux-vdso.so', 'linux-gate.so'];

/**
 * Parses `ldd` output into absolute library paths (as the loader resolved
 * them, i.e. their original paths on the host), interpreter included.
 * Throws when a library is reported "not found".
 */
export function parseLddOutput(output: string): string[] {
  const paths = new Set<string>();
  const missing: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.includes('statically linked')) continue;
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    if (arrow) {
      const name = arrow[1] ?? '';
      const rest = (arrow[2] ?? '').trim();
      if (rest.startsWith('not found')) {
        missing.push(name);
        continue;
      }
      const path = /^(\/\S+)/.exec(rest)?.[1];
      if (path) paths.add(path);
      continue;
    }
    // "/lib64/ld-linux-x86-64.so.2 (0x...)" or "linux-vdso.so.1 (0x...)"
    const bare = /^(\S+)\s+\(0x[0-9a-f]+\)$/i.exec(line)?.[1];
    if (bare === undefined) continue;
    if (VIRTUAL_LIBRARIES.some((v) => bare.startsWith(v))) continue;
    if (bare.startsWith('/')) paths.add(bare);
  }
  if (missing.length > 0) {
    throw new AppFailure(
      'TOOL_MISSING',
      `shared libraries not found on this host: ${missing.join(', ')}`,
    );
  }
  return [...paths];
}

/** Runs `ldd <executable>` and returns the libraries it needs (empty for static binaries). */
export async function sharedLibrariesOf(executable: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('ldd', [executable], { encoding: 'utf8' }));
  } catch (e) {
    const out = (e as { stdout?: string; stderr?: string }).stdout ?? '';
    const errText = (e as { stderr?: string }).stderr ?? '';
    // ldd exits 1 with "not a dynamic executable" for static binaries.
    if (/not a dynamic executable|statically linked/.test(out + errText)) return [];
    throw new AppFailure(
      'TOOL_MISSING',
      `cannot list the shared libraries of ${executable} with ldd: ${errText.trim() || (e as Error).message}`,
    );
  }
  return parseLddOutput(stdout);
}
