/**
 * The unit project stays fast because no unit test drives a real part: a test that imports one
 * of the markers below belongs in the integration project (INTEGRATION_TESTS in vitest.config.ts
 * or a `*.integration.test.ts` name). Checked on the test sources, so a real run that lands in a
 * unit file fails here, not as a slow unit project later.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_TESTS } from '../../vitest.config';

const ROOT = join(import.meta.dirname, '..', '..');
const INTEGRATION_GLOB = 'test/**/*.integration.test.ts';

/** What a test imports when it drives a real part, and what that part is. */
const REAL_PART_MARKERS: [RegExp, string][] = [
  [/support\/builtApp'/, 'the built CLI or UI (out/)'],
  [/\brequireDaemon\b/, 'a real Docker daemon'],
  [/platforms\/native\/nativePlatform'/, 'real benchmark processes on the host'],
  [/\bqemuProcesses\(/, 'a real QEMU guest (it looks for its qemu process)'],
  [/e2e\/chromium'/, 'a real Chromium'],
];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

function isIntegration(file: string): boolean {
  return INTEGRATION_TESTS.includes(file) || file.endsWith('.integration.test.ts');
}

describe('test projects', () => {
  it('the integration list names existing files (and the one naming glob)', () => {
    const listed = INTEGRATION_TESTS.filter((f) => f !== INTEGRATION_GLOB);
    expect(INTEGRATION_TESTS).toContain(INTEGRATION_GLOB);
    expect(listed.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
    expect(listed.filter((f) => f.includes('*'))).toEqual([]);
  });

  it('no unit test drives a real part', () => {
    const units = testFiles(join(ROOT, 'test')).filter((f) => !isIntegration(f));
    expect(units.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of units) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [marker, part] of REAL_PART_MARKERS)
        if (marker.test(text)) offenders.push(`${file}: ${part}`);
    }
    expect(offenders).toEqual([]);
  });
});
