/**
 * Prints the binary benchmarks of the catalogue, one per line: "<id> <linker libraries...>".
 * scripts/build-bench.sh builds exactly these (resources/bench/<id>.c), so the
 * catalogue stays the only list of benchmarks.
 */
import { BINARY_NAMES, CATALOGUE } from '../src/shared/catalogue';

for (const id of BINARY_NAMES) {
  console.log([id, ...(CATALOGUE[id].build?.libs ?? [])].join(' '));
}
