/**
 * CPU and clock facts of a kernel that change what a benchmark measures:
 * the clocksource every timing reads, the CPU vendor and model the kernel sees
 * (TCG's `-cpu max` presents a different one than the host), and the CPU
 * vulnerability mitigations in force (they change syscall, context switch and
 * fork costs). Read on the host from /proc and /sys; in a guest the same files
 * are printed by GUEST_CPU_FACTS_SCRIPT and parsed by parseCpuFactsLines, so
 * host and guests record the same meta keys.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CpuFacts {
  clocksource: string;
  cpuVendor: string;
  cpuModel: string;
  /** /sys/devices/system/cpu/vulnerabilities/<name> → its status line. */
  cpuVulnerabilities: Record<string, string>;
}

export const CLOCKSOURCE_FILE = '/sys/devices/system/clocksource/clocksource0/current_clocksource';
export const VULNERABILITIES_DIR = '/sys/devices/system/cpu/vulnerabilities';
const UNKNOWN = 'unknown';

/** vendor_id and model name of the first CPU in /proc/cpuinfo. */
export function parseCpuinfo(text: string): { cpuVendor: string; cpuModel: string } {
  const field = (name: string): string =>
    new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() || UNKNOWN;
  return { cpuVendor: field('vendor_id'), cpuModel: field('model name') };
}

async function readTrim(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** The running kernel's facts (paths injectable for tests). */
export async function readHostCpuFacts(
  paths: { cpuinfo?: string; clocksource?: string; vulnerabilities?: string } = {},
): Promise<CpuFacts> {
  const vulnDir = paths.vulnerabilities ?? VULNERABILITIES_DIR;
  const [cpuinfo, clocksource, names] = await Promise.all([
    readTrim(paths.cpuinfo ?? '/proc/cpuinfo'),
    readTrim(paths.clocksource ?? CLOCKSOURCE_FILE),
    readdir(vulnDir).catch(() => [] as string[]),
  ]);
  const cpuVulnerabilities: Record<string, string> = {};
  for (const name of names.sort()) {
    const status = await readTrim(join(vulnDir, name));
    if (status !== null) cpuVulnerabilities[name] = status;
  }
  return {
    clocksource: clocksource || UNKNOWN,
    ...parseCpuinfo(cpuinfo ?? ''),
    cpuVulnerabilities,
  };
}

/** Prints the same facts inside a guest (busybox sh), one `key=value` line each; a single line. */
export const GUEST_CPU_FACTS_SCRIPT = [
  `echo "clocksource=$(cat ${CLOCKSOURCE_FILE} 2>/dev/null)"`,
  `sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*/vendor=/p' /proc/cpuinfo | head -n 1`,
  `sed -n 's/^model name[[:space:]]*:[[:space:]]*/model=/p' /proc/cpuinfo | head -n 1`,
  `for f in ${VULNERABILITIES_DIR}/*; do [ -f "$f" ] && echo "vuln.\${f##*/}=$(cat "$f")"; done`,
  'true',
].join('; '); // one line: the agent's protocol carries one command per line

/** Parses GUEST_CPU_FACTS_SCRIPT's output. */
export function parseCpuFactsLines(stdout: string): CpuFacts {
  const facts: CpuFacts = {
    clocksource: UNKNOWN,
    cpuVendor: UNKNOWN,
    cpuModel: UNKNOWN,
    cpuVulnerabilities: {},
  };
  for (const raw of stdout.split(/\r?\n/)) {
    const eq = raw.indexOf('=');
    if (eq < 0) continue;
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (key === 'clocksource' && value) facts.clocksource = value;
    else if (key === 'vendor' && value) facts.cpuVendor = value;
    else if (key === 'model' && value) facts.cpuModel = value;
    else if (key.startsWith('vuln.') && key.length > 5)
      facts.cpuVulnerabilities[key.slice(5)] = value;
  }
  return facts;
}
