/**
 * Why ssh (or the agent behind it) failed, in the product's words, each with its fix. ssh tells
 * only through its stderr and exit status (255 for its own failures; otherwise the remote
 * command's status, 127 when the shell there found no such command).
 */
import type { Host, HostProblem } from '../../shared/hosts';
import { sshHandCommand } from './sshCommand';

/** The README section that prepares a lab host. */
const PREPARE =
  'README “Lab hosts”: `bash scripts/setup.sh` in a copy of Benchvisor, then `npm link`';

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Warning: Permanently added'));
  return lines.slice(-3).join(' / ');
}

function unreachable(host: Host, stderr: string): HostProblem {
  return {
    kind: 'unreachable',
    message: `${host.name}: ${host.destination} cannot be reached (${lastLines(stderr) || 'ssh gave no reason'})`,
    fix: 'check that the machine is up and that the destination, port and any ProxyJump in your ssh config are right',
  };
}

/** Classifies a failure of ssh before the agent's hello. */
export function classifySshFailure(
  host: Host,
  exitCode: number | null,
  stderr: string,
  env: NodeJS.ProcessEnv,
): HostProblem {
  const hand = sshHandCommand(host, env);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr))
    return {
      kind: 'changed-host-key',
      message: `${host.name}: the host key of ${host.destination} has CHANGED since you accepted it; the connection was refused (this can be an attack)`,
      fix: `if the host was reinstalled, confirm its new fingerprint with its administrator, remove the old key (\`ssh-keygen -R <host>\`) and accept the new one with \`${hand}\``,
    };
  if (
    /Host key verification failed|No \S+ host key is known for|host key .* not known/i.test(stderr)
  )
    return {
      kind: 'unknown-host-key',
      message: `${host.name}: the host key of ${host.destination} is not known, so the connection was refused (Benchvisor never accepts a host key by itself)`,
      fix: `run \`${hand}\` once in a terminal: it shows the key's fingerprint; compare it with the host's (there: \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\`) and answer yes. Then check the host again`,
    };
  if (
    /Permission denied|Too many authentication failures|no more authentication methods/i.test(
      stderr,
    )
  )
    return {
      kind: 'auth-refused',
      message: `${host.name}: ${host.destination} refused the login (no key of yours was accepted; Benchvisor never asks for a password)`,
      fix: `install your public key there (\`ssh-copy-id ${host.destination}\`) or load it into your agent (\`ssh-add\`); \`${sshHandCommand(host, env, ['true'])}\` must work without a password`,
    };
  if (exitCode === 255) return unreachable(host, stderr);
  if (exitCode === 127 || /command not found|No such file or directory|not found/i.test(stderr))
    return {
      kind: 'not-installed',
      message: `${host.name}: Benchvisor is not installed at ${host.destination} (\`${host.command ?? 'benchvisor'}\` was not found there)`,
      fix: `install it there (${PREPARE}), or say where it is: \`benchvisor hosts add ${host.name} ${host.destination} --command '/path/to/benchvisor/bin/benchvisor.mjs'\``,
    };
  return {
    kind: 'agent-failed',
    message: `${host.name}: \`${host.command ?? 'benchvisor'} agent\` ended at ${host.destination} before it answered (exit ${exitCode ?? 'by signal'}${stderr.trim() ? `: ${lastLines(stderr)}` : ''})`,
    fix: `run \`${sshHandCommand(host, env, [`'${host.command ?? 'benchvisor'} agent'`])}\` by hand to see what it says`,
  };
}

export function incompatibleProblem(
  host: Host,
  theirs: { protocol: number; version: string },
  ours: { protocol: number; version: string },
): HostProblem {
  return {
    kind: 'incompatible',
    message: `${host.name}: runs Benchvisor ${theirs.version} (agent protocol ${theirs.protocol}); this app is ${ours.version} and speaks protocol ${ours.protocol}`,
    fix: 'install the same Benchvisor version on the host and here (on the host: update its copy and run `bash scripts/setup.sh` again)',
  };
}

export function notAnAgentProblem(host: Host, firstLine: string): HostProblem {
  const shown = firstLine.length > 120 ? `${firstLine.slice(0, 120)}…` : firstLine;
  return {
    kind: 'not-installed',
    message: `${host.name}: \`${host.command ?? 'benchvisor'} agent\` at ${host.destination} is not Benchvisor's agent (it answered ${JSON.stringify(shown)})`,
    fix: `install Benchvisor there (${PREPARE}) or correct the host's --command`,
  };
}
