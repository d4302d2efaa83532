/**
 * Prints benchmarks of the catalogue, one per line, so the build scripts keep no list of their own:
 *   (no argument)   the binary benchmarks: "<id> <linker libraries...>" (scripts/build-bench.sh
 *                   builds exactly these from resources/bench/<id>.c);
 *   --library-os    the ids of those the library OS can run (its capabilities cover what they
 *                   require): resources/unikernel/build.sh links one image for each.
 */
import { BINARY_NAMES, binariesRunnableWith, CATALOGUE } from '../src/shared/catalogue';
import { LIBRARY_OS_CAPABILITIES } from '../src/shared/platforms';

const mode = process.argv[2];
if (mode === '--library-os') {
  for (const id of binariesRunnableWith(LIBRARY_OS_CAPABILITIES)) console.log(id);
} else if (mode === undefined) {
  for (const id of BINARY_NAMES) {
    console.log([id, ...(CATALOGUE[id].build?.libs ?? [])].join(' '));
  }
} else {
  console.error(`usage: bench-list.ts [--library-os] (unknown argument ${mode})`);
  process.exitCode = 2;
}
