/**
 * `benchvisor hosts add|list|check|remove`: lab hosts reached through the user's OpenSSH.
 */
import type { HostCheck } from '../../shared/hosts';
import { packageVersion } from '../api/appService';
import { checkHost } from '../hosts/hostCheck';
import { HostStore } from '../hosts/hostStore';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand, type CliContext } from './command';
import { formatDoctorReport } from './doctor';
import { escapeControl, formatColumns } from './textTable';

const USAGE = `Usage: benchvisor hosts <add|list|check|remove> ...

  hosts add NAME DESTINATION [--command CMD]
      DESTINATION as your ssh takes it: an alias from ~/.ssh/config, user@host,
      ssh://user@host:port. CMD starts Benchvisor there (default: benchvisor).
  hosts list [--json]
  hosts check NAME [--json]   reachable? same version? which platforms (KVM?), CPU, memory, kernel
  hosts remove NAME

Hosts are reached with your own ssh in batch mode: your keys, agent, ProxyJump and
known_hosts apply; no password is asked for or stored; an unknown host key is refused
with the command that shows and accepts it. BENCHVISOR_SSH_CONFIG names a config file
passed as \`ssh -F\`.`;

const MiB_PER_GiB = 1024;

export function formatHostCheck(c: HostCheck): string {
  if (!c.ok || !c.facts) {
    return `✗ ${c.problem?.message ?? `${c.name}: check failed`}\n    fix: ${c.problem?.fix ?? '-'}`;
  }
  const f = c.facts;
  const lines = [
    `✓ ${c.name}: Benchvisor ${c.version ?? '?'} on ${f.hostname}`,
    `    CPU ${f.cpuModel}, ${f.cores} cores, ${(f.memoryMiB / MiB_PER_GiB).toFixed(1)} GiB, kernel ${f.kernel} (${f.arch})${f.virtualized ? ', itself a virtual machine' : ''}`,
  ];
  if (c.doctor)
    lines.push(
      ...formatDoctorReport(c.doctor)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  return lines.map(escapeControl).join('\n');
}

async function check(ctx: CliContext, store: HostStore, name: string, json: boolean) {
  const host = store.require(name);
  const engine = await ctx.engine();
  const report = await checkHost(host, {
    env: ctx.io.env,
    tracker: engine.tracker,
    version: packageVersion(engine.paths.root),
  });
  store.saveCheck(report);
  ctx.io.stdout.write(
    json ? JSON.stringify(report, null, 2) + '\n' : formatHostCheck(report) + '\n',
  );
  return report.ok ? EXIT.ok : EXIT.failed;
}

function list(ctx: CliContext, store: HostStore, json: boolean): number {
  const hosts = store.list();
  if (json) {
    const out = hosts.map((h) => ({ ...h, lastCheck: store.lastCheck(h.name) ?? null }));
    ctx.io.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return EXIT.ok;
  }
  if (hosts.length === 0) {
    ctx.io.stdout.write('no hosts yet: benchvisor hosts add NAME DESTINATION\n');
    return EXIT.ok;
  }
  const rows = hosts.map((h) => {
    const c = store.lastCheck(h.name);
    const state = !c
      ? 'not checked'
      : c.ok
        ? `ok (${c.checkedAt})`
        : `${c.problem?.kind ?? 'failed'} (${c.checkedAt})`;
    return [h.name, h.destination, h.command ?? 'benchvisor', state];
  });
  ctx.io.stdout.write(formatColumns(['NAME', 'DESTINATION', 'COMMAND', 'LAST CHECK'], rows) + '\n');
  return EXIT.ok;
}

export const hostsCommand: CliCommand = {
  name: 'hosts',
  summary: 'lab hosts reached over SSH: add, list, check, remove',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, {
      command: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [verb, ...rest] = positionals;
    const store = new HostStore((await ctx.engine()).paths.dataDir);
    const json = values.json === true;
    if (verb === 'add') {
      if (rest.length !== 2) throw new UsageError('hosts add takes NAME and DESTINATION');
      const command = typeof values.command === 'string' ? { command: values.command } : {};
      const host = store.add({ name: rest[0], destination: rest[1], ...command });
      ctx.io.stdout.write(
        `added ${host.name} (${host.destination}); check it: benchvisor hosts check ${host.name}\n`,
      );
      return EXIT.ok;
    }
    if (verb === 'list') return list(ctx, store, json);
    if (verb === 'check') {
      if (rest.length !== 1) throw new UsageError('hosts check takes NAME');
      return check(ctx, store, rest[0]!, json);
    }
    if (verb === 'remove') {
      if (rest.length !== 1) throw new UsageError('hosts remove takes NAME');
      if (!store.remove(rest[0]!)) {
        store.require(rest[0]!);
      }
      ctx.io.stdout.write(`removed ${rest[0]}\n`);
      return EXIT.ok;
    }
    throw new UsageError(`unknown hosts subcommand ${JSON.stringify(verb ?? '')}`);
  },
};
