/**
 * The ssh command line for a host: the system OpenSSH client in batch mode, so the user's keys,
 * agent, ProxyJump, ~/.ssh/config and known_hosts apply, no password is ever asked for, and an
 * unknown host key is refused (StrictHostKeyChecking is never relaxed here).
 */
import { DEFAULT_REMOTE_COMMAND, type Host } from '../../shared/hosts';

/** Environment variable naming an ssh config file passed as `ssh -F` (tests, special setups). */
export const SSH_CONFIG_ENV = 'BENCHVISOR_SSH_CONFIG';
/** Seconds ssh waits for the TCP connection (ConnectTimeout). */
const CONNECT_TIMEOUT_S = 15;
/** Keep-alives: a dead connection is noticed after interval × count seconds. */
const ALIVE_INTERVAL_S = 10;
const ALIVE_COUNT = 3;

/** `-F file` when the environment names a config file. */
export function sshConfigArgs(env: NodeJS.ProcessEnv): string[] {
  const file = env[SSH_CONFIG_ENV];
  return file ? ['-F', file] : [];
}

/** The remote command line: the host's Benchvisor command followed by the subcommand. */
export function remoteCommand(host: Host, subcommand: string): string {
  return `${host.command ?? DEFAULT_REMOTE_COMMAND} ${subcommand}`;
}

/** Arguments for `ssh` that run `<command> agent` at the host, stdio as the channel. */
export function sshAgentArgv(host: Host, env: NodeJS.ProcessEnv): string[] {
  return [
    ...sshConfigArgs(env),
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    '-o',
    `ServerAliveInterval=${ALIVE_INTERVAL_S}`,
    '-o',
    `ServerAliveCountMax=${ALIVE_COUNT}`,
    '-T',
    '--',
    host.destination,
    remoteCommand(host, 'agent'),
  ];
}

/** What a user types to reach the host by hand (for fixes in messages). */
export function sshHandCommand(host: Host, env: NodeJS.ProcessEnv, rest: string[] = []): string {
  return ['ssh', ...sshConfigArgs(env), host.destination, ...rest].join(' ');
}
