/**
 * A vitest reporter that writes one JSON line of facts per test file to
 * test-results/vitest-files.json: its project, how long it took (import + hooks + tests, which
 * the jest-style JSON report leaves out: a file that boots a guest in beforeAll spends most of
 * its time there), its test counts, and every skipped test with the reason it gave
 * (`ctx.skip(reason)`, see test/support/skip.ts). scripts/test-summary.mjs reads it for the
 * closing lines of `npm test`: skipped tests with reasons and the time budget per file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileFacts {
  file: string;
  project: string;
  /** Import, setup, hooks and tests of the file, in milliseconds. */
  durationMs: number;
  passed: number;
  failed: number;
  skipped: { name: string; reason: string | null }[];
}

const OUT = 'test-results/vitest-files.json';

export default class FileReport implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const files: FileFacts[] = modules.map((m) => {
      const d = m.diagnostic();
      const facts: FileFacts = {
        file: relative(process.cwd(), m.moduleId),
        project: m.project.name || 'default',
        durationMs: Math.round(d.collectDuration + d.setupDuration + d.duration),
        passed: 0,
        failed: 0,
        skipped: [],
      };
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'passed') facts.passed++;
        else if (r.state === 'failed') facts.failed++;
        else if (r.state === 'skipped')
          facts.skipped.push({ name: t.fullName, reason: r.note ?? t.meta().skipReason ?? null });
      }
      return facts;
    });
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(files, null, 1)}\n`);
  }
}
