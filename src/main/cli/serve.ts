/**
 * `benchvisor serve [--port N] [--host ADDR [--expose]] [--allow-host NAME]`: the UI in a browser.
 * Prints the start URL with its token; Ctrl-C stops the server and everything it started.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serviceForEngine } from '../api/appService';
import { DEFAULT_HOST, startWebServer } from '../web/server';
import { parseCommandArgs } from './args';
import { EXIT, UsageError } from './command';
import type { CliCommand } from './command';
import { EXPOSE_FLAG, exposureNotice, exposureRefusal, isLoopbackHost } from './serveExposure';

/** Port used when --port is not given (0 picks any free port). */
export const DEFAULT_PORT = 7411;

export const SERVE_USAGE = `Usage: benchvisor serve [--port N] [--host ADDR [${EXPOSE_FLAG}]] [--allow-host NAME]...
  Serves the Benchvisor UI and API (web mode) and prints the URL to open, with its access token.
  --port N           port to listen on (default ${DEFAULT_PORT}; 0: any free port)
  --host ADDR        address to bind (default ${DEFAULT_HOST}: reachable from this machine only)
  ${EXPOSE_FLAG}           required with a --host other than loopback: serve plain HTTP to the
                     network (prefer an SSH tunnel to 127.0.0.1; see the README)
  --allow-host NAME  extra name accepted in the Host header (e.g. the lab machine's DNS name)`;

export interface ServeArgs {
  port: number;
  host: string;
  allowHosts: string[];
  /** The explicit opt-in for a non-loopback host. */
  expose: boolean;
}

/** The option name of EXPOSE_FLAG (without its dashes) for the argument parser. */
const EXPOSE_OPTION = EXPOSE_FLAG.replace(/^--/, '');

function portArg(value: string | undefined): number {
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port: expected a port number 0–65535, got ${JSON.stringify(value)}`);
  return n;
}

function nameArg(value: string, option: string, expected: string): string {
  if (!value || value.startsWith('--')) throw new UsageError(`${option}: expected ${expected}`);
  return value;
}

/** Parses serve's arguments (the parser every command uses); throws UsageError naming the bad one. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const { values, positionals } = parseCommandArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    [EXPOSE_OPTION]: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new UsageError(`unknown argument ${JSON.stringify(positionals[0])}`);
  const host =
    typeof values.host === 'string'
      ? nameArg(values.host, '--host', 'an address, e.g. 127.0.0.1')
      : DEFAULT_HOST;
  const allowHosts = ((values['allow-host'] ?? []) as unknown as string[]).map((h) =>
    nameArg(h, '--allow-host', 'a host name'),
  );
  const out: ServeArgs = {
    port: typeof values.port === 'string' ? portArg(values.port) : DEFAULT_PORT,
    host,
    allowHosts,
    expose: values[EXPOSE_OPTION] === true,
  };
  if (!out.expose && !isLoopbackHost(out.host)) throw new UsageError(exposureRefusal(out.host));
  return out;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the UI to a browser (web mode) on 127.0.0.1 with an access token',
  usage: SERVE_USAGE,
  async run(argv, ctx) {
    const args = parseServeArgs(argv);
    const { stdout, stderr } = ctx.io;
    const engine = await ctx.engine();
    const staticDir = engine.paths.rendererDir;
    if (!existsSync(join(staticDir, 'index.html'))) {
      stderr.write(
        `benchvisor serve: the UI is not built (${join(staticDir, 'index.html')} is missing): run \`npm run build\` first.\n`,
      );
      return EXIT.failed;
    }
    const exportsDir = engine.paths.exportsDir;
    const app = serviceForEngine(engine);
    let server;
    try {
      server = await startWebServer({
        service: app.service,
        staticDir,
        host: args.host,
        port: args.port,
        allowedHosts: args.allowHosts,
        downloadsDir: exportsDir,
      });
    } catch (e) {
      stderr.write(
        `benchvisor serve: cannot listen on ${args.host}:${args.port}: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      return EXIT.failed;
    }
    if (!isLoopbackHost(args.host)) stderr.write(`${exposureNotice(args.host, server.port)}\n`);
    stdout.write(`Benchvisor web mode (runs in ${engine.paths.runsDir})\n`);
    stdout.write(`Open this URL (it carries the access token):\n`);
    stdout.write(`    ${server.url}\n`);
    const srv = server;
    await new Promise<void>((resolve) => {
      const off = ctx.onInterrupt(() => {
        off();
        resolve();
      });
    });
    stdout.write('benchvisor serve: stopping\n');
    await srv.close();
    await app.dispose();
    return EXIT.ok;
  },
};
