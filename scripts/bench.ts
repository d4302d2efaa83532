/**
 * `npm run bench [section...]`: runs every section in scripts/bench/*.ts
 * (each exports `async function run(): Promise<void>` that prints its own
 * results), or only the sections named on the command line. Arguments starting with `--` are
 * flags for the sections (e.g. `npm run bench aa -- --tcg`), read from process.argv.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SECTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'bench');

interface Section {
  run(): Promise<void>;
}

async function main(args: string[]): Promise<number> {
  // Flags (`--tcg`) are for the sections, which read them from process.argv.
  const argv = args.filter((a) => !a.startsWith('--'));
  const available = readdirSync(SECTIONS_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
  const unknown = argv.filter((a) => !available.includes(a));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown section(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`,
    );
    return 2;
  }
  const chosen = argv.length > 0 ? argv : available;
  let failures = 0;
  for (const name of chosen) {
    process.stdout.write(`\n=== ${name} ===\n`);
    try {
      const mod = (await import(
        pathToFileURL(join(SECTIONS_DIR, `${name}.ts`)).href
      )) as Partial<Section>;
      if (typeof mod.run !== 'function')
        throw new Error(`scripts/bench/${name}.ts exports no run()`);
      await mod.run();
    } catch (e) {
      failures++;
      process.stderr.write(
        `section ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
    }
  }
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  },
);
