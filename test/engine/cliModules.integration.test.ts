/**
 * The built CLI loads a command's modules only when that command runs: a lab host starts
 * `benchvisor agent` (the relay) for every SSH connection, and it must start without the
 * engine's packages (zod, dockerode, vega, …). Traced at run time with a Node module hook that
 * writes down every module the process resolves.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from './helpers';
import { builtCli } from '../support/builtApp';
import { COMMANDS } from '../../src/main/cli/commands';

const tmp = tempDir('cli-modules');
afterAll(() => tmp.cleanup());

/** Runs the built CLI with `args` and returns the URLs of every module it resolved. */
function modulesLoadedBy(args: string[]): string[] {
  const trace = join(tmp.dir, `trace-${args.join('-')}.txt`);
  writeFileSync(trace, '');
  const hooks = join(tmp.dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const found = await next(specifier, context);',
      '  appendFileSync(process.env.TRACE_FILE, found.url + "\\n");',
      '  return found;',
      '}',
    ].join('\n'),
  );
  const register = join(tmp.dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});\n`,
  );
  const r = spawnSync(process.execPath, ['--import', register, builtCli(), ...args], {
    env: { ...process.env, TRACE_FILE: trace },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

const packagesIn = (urls: string[]) =>
  [...new Set(urls.filter((u) => u.includes('/node_modules/')))].map(
    (u) => u.split('/node_modules/').pop()!.split('/')[0],
  );

it('starts the agent relay without loading any package', () => {
  const loaded = modulesLoadedBy(['agent', '--help']);
  expect(loaded.some((u) => u.includes('/out/main/chunks/agent-'))).toBe(true);
  expect(packagesIn(loaded)).toEqual([]);
});

it('loads every command for the help that lists them (so the trace sees packages)', () => {
  const loaded = modulesLoadedBy(['--help']);
  expect(packagesIn(loaded)).toContain('zod');
});

it('names each command in the table as the command module it loads', async () => {
  for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
});
