/**
 * Can the unikernel images be built here? resources/unikernel/build.sh needs
 * musl-gcc (Debian's musl-tools), nasm and gcc. Checked by running them, never
 * by guessing paths; every missing tool comes with its fix.
 */
import type { HostCommands } from '../../qemu/commands';

export interface ToolchainReport {
  ok: boolean;
  /** "musl-gcc: missing (apt-get install musl-tools)" per tool. */
  notes: string[];
  /** One command that installs everything missing, when something is. */
  fix?: string;
}

const TOOLS: { name: string; args: string[]; pkg: string }[] = [
  { name: 'musl-gcc', args: ['--version'], pkg: 'musl-tools' },
  { name: 'nasm', args: ['-v'], pkg: 'nasm' },
  { name: 'gcc', args: ['--version'], pkg: 'gcc' },
];

export async function checkToolchain(commands: HostCommands): Promise<ToolchainReport> {
  const missing: string[] = [];
  const notes: string[] = [];
  for (const t of TOOLS) {
    const r = await commands.run(t.name, t.args);
    if (r.spawnError || r.code !== 0) {
      missing.push(t.pkg);
      notes.push(`${t.name}: missing (apt-get install ${t.pkg})`);
    } else {
      notes.push(`${t.name}: ${r.stdout.split('\n')[0]?.trim() ?? 'present'}`);
    }
  }
  return missing.length === 0
    ? { ok: true, notes }
    : {
        ok: false,
        notes,
        fix: `sudo apt-get install ${missing.join(' ')}, then npm run build:bench`,
      };
}
