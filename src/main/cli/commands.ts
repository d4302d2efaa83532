/**
 * The CLI's commands, each loaded only when it is asked for. A lab host starts `benchvisor
 * agent` for every SSH connection, and that relay needs none of the engine's modules (Docker,
 * QEMU, statistics, charts): loading them all took about 0.6 s of every remote run here.
 * Adding a command: write src/main/cli/<name>.ts exporting a CliCommand and add a line here.
 */
import type { CommandEntry } from './command';

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', load: async () => (await import('./run')).runCommand },
  { name: 'more', load: async () => (await import('./more')).moreCommand },
  { name: 'doctor', load: async () => (await import('./doctor')).doctorCommand },
  { name: 'list', load: async () => (await import('./list')).listCommand },
  { name: 'show', load: async () => (await import('./show')).showCommand },
  { name: 'compare', load: async () => (await import('./compare')).compareCommand },
  { name: 'export', load: async () => (await import('./export')).exportCommand },
  { name: 'import', load: async () => (await import('./import')).importCommand },
  { name: 'delete', load: async () => (await import('./delete')).deleteCommand },
  { name: 'serve', load: async () => (await import('./serve')).serveCommand },
  { name: 'agent', load: async () => (await import('./agent')).agentCommand },
  { name: 'hosts', load: async () => (await import('./hosts')).hostsCommand },
];
