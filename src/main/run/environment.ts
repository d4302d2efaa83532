/**
 * What every run records about where it ran (environment.json): the host's facts as the host
 * probe reads them (host/hostProbe.ts: CPU, kernel, memory, load, governor, KVM, conditions),
 * Node's version and the versions of the tools the platforms and benchmarks declare.
 */
import { execFile } from 'node:child_process';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform, ToolVersionCommand } from '../platforms/platform';
import type { HostEnvironment } from '../host/hostEnvironment';
import type { HostProbe } from '../host/hostProbe';

/** How long a `tool --version` may take before it is reported as not answering. */
const TOOL_VERSION_TIMEOUT_MS = 5000;
/** The compiler the benchmark binaries and the library OS are built with (scripts/build-bench.sh). */
export const BUILD_TOOLS: readonly ToolVersionCommand[] = [
  { name: 'cc', argv: ['cc', '--version'] },
];

/**
 * The programs whose versions a run records: what each platform and benchmark declares it
 * runs (Platform.tools, BenchmarkRunner.tools), then the build tools; the first declaration of
 * a name wins (both QEMU platforms and the unikernel run the same qemu).
 */
export function declaredTools(
  platforms: readonly Pick<Platform, 'tools'>[],
  runners: readonly Pick<BenchmarkRunner, 'tools'>[],
): ToolVersionCommand[] {
  const out = new Map<string, ToolVersionCommand>();
  for (const t of [...platforms, ...runners].flatMap((x) => x.tools ?? []).concat(BUILD_TOOLS))
    if (!out.has(t.name)) out.set(t.name, t);
  return [...out.values()];
}

/** environment.json: the host's fields (HostProbe.environment()), Node and tool versions. */
export interface EnvironmentInfo extends HostEnvironment {
  collectedAt: string;
  node: string;
  tools: Record<string, string>;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** `file args...` → first line of its output, or a "not found"/"failed" note. Never throws. */
export function toolVersion(file: string, args: string[]): Promise<string> {
  return new Promise((resolveVersion) => {
    execFile(file, args, { timeout: TOOL_VERSION_TIMEOUT_MS }, (error, stdout, stderr) => {
      const out = firstLine(String(stdout)) || firstLine(String(stderr));
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
        resolveVersion('not installed');
      else if (out) resolveVersion(out);
      else resolveVersion(`no answer (${error ? error.message : 'empty output'})`);
    });
  });
}

/** The host's facts (read by the probe); `tools` (declaredTools) are the programs whose versions it records. */
export async function collectEnvironment(
  host: HostProbe,
  tools: readonly ToolVersionCommand[] = BUILD_TOOLS,
): Promise<EnvironmentInfo> {
  const [hostFields, versions] = await Promise.all([
    host.environment(),
    Promise.all(
      tools.map(async (t) => [t.name, await toolVersion(t.argv[0], t.argv.slice(1))] as const),
    ),
  ]);
  return {
    collectedAt: new Date().toISOString(),
    ...hostFields,
    node: process.version,
    tools: Object.fromEntries(versions),
  };
}
