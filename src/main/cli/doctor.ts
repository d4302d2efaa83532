/** `benchvisor doctor [--json]`: per platform and benchmark, available or not, why, how to fix. */
import type { DoctorReport } from '../../shared/platforms';
import { parseCommandArgs } from './args';
import { EXIT, type CliCommand } from './command';

const USAGE = `Usage: benchvisor doctor [--json]

Checks every platform (native, docker, qemu-tcg, qemu-kvm) and every benchmark
on it: available or not, why, and how to fix it.
  --json   print the report as JSON on stdout`;

export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const p of report.platforms) {
    const a = p.availability;
    lines.push(`${a.available ? '✓' : '✗'} ${p.id} (${p.title})${a.reason ? `: ${a.reason}` : ''}`);
    if (a.fix) lines.push(`    fix: ${a.fix}`);
    // What the probe found (versions, kernel source, daemon facts), one per line.
    for (const [k, v] of Object.entries(a.details ?? {})) lines.push(`    ${k}: ${v}`);
    if (!a.available) continue;
    for (const [id, b] of Object.entries(p.benchmarks)) {
      lines.push(`    ${b.available ? '✓' : '✗'} ${id}${b.reason ? `: ${b.reason}` : ''}`);
      if (b.fix) lines.push(`        fix: ${b.fix}`);
    }
  }
  return lines.join('\n');
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check which platforms and benchmarks can run here, why not, and how to fix',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const report = await (await ctx.engine()).doctor();
    ctx.io.stdout.write(
      values.json ? JSON.stringify(report, null, 2) + '\n' : formatDoctorReport(report) + '\n',
    );
    return EXIT.ok;
  },
};
