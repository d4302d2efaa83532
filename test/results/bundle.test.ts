import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { RunStore } from '../../src/main/store/runStore';
import { DEFAULT_LIMITS, exportBundle, importBundle } from '../../src/main/export';
import { AppFailure } from '../../src/shared/result';
import type { Sample } from '../../src/shared/sample';
import { SampleSchema } from '../../src/shared/sample';
import { cellSamples, writeRunFolder } from './fixtures';
import { craftZip } from './zipCraft';
import type { CraftEntry } from './zipCraft';

let root: string;
let runsA: string;
let zipFile: string;
let samples: Sample[];
const RUN_ID = '20240101-000000-abcd';

/** Reads every entry of a zip into memory (small test bundles only). */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bv-bundle-'));
  runsA = join(root, 'runsA');
  samples = [
    ...cellSamples('native', 'linpack', 2_000_000, { runId: RUN_ID }),
    ...cellSamples('docker', 'linpack', 1_990_000, { runId: RUN_ID }),
    ...cellSamples('qemu-tcg', 'linpack', 33_000, {
      runId: RUN_ID,
      meta: { accel: 'tcg', kvmEnabled: false },
    }),
    ...cellSamples('qemu-kvm', 'linpack', 33_400, {
      runId: RUN_ID,
      meta: { accel: 'kvm', kvmEnabled: false },
    }),
    ...cellSamples('native', 'memsweep', 5, { runId: RUN_ID }),
    ...cellSamples('qemu-kvm', 'memsweep', 140, { runId: RUN_ID, meta: { kvmEnabled: false } }),
  ];
  samples.push({
    ...samples[0]!,
    rep: 6,
    value: null,
    metrics: {},
    exitCode: 1,
    error: 'residual check failed',
  });
  writeRunFolder(runsA, RUN_ID, samples);
  zipFile = join(root, 'out', 'bundle.zip');
  await exportBundle(new RunStore({ runsDir: runsA }), RUN_ID, zipFile);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('bundle export', () => {
  it('holds the run folder, reports, plots and CSV files', async () => {
    const entries = await readZip(zipFile);
    const names = [...entries.keys()].sort();
    for (const n of [
      'experiment.json',
      'environment.json',
      'samples.ndjson',
      'cells.json',
      'consoles/native.log',
      'consoles/qemu-kvm.log',
      'report.html',
      'report.md',
      'plots/normalized.svg',
      'plots/linpack.svg',
      'plots/memsweep.svg',
      'csv/samples.csv',
      'csv/summary.csv',
      'csv/native-linpack.csv',
      'csv/qemu-kvm-memsweep.csv',
    ]) {
      expect(names).toContain(n);
    }
    const classic = entries.get('csv/native-linpack.csv')!.toString('utf8').trim().split('\n');
    expect(classic[0]).toBe('time,value');
    expect(classic).toHaveLength(6); // header + 5 successful reps (the failed one is left out)
    expect(classic[1]).toMatch(/^1704067200,2000000$/);
    const samplesCsv = entries.get('csv/samples.csv')!.toString('utf8').trim().split('\n');
    expect(samplesCsv).toHaveLength(samples.length + 1);
    expect(samplesCsv.some((l) => l.includes('residual check failed'))).toBe(true);
  });

  it('report.html is self-contained: inline SVG and CSS, no scripts, no external references', async () => {
    const html = (await readZip(zipFile)).get('report.html')!.toString('utf8');
    expect(html).toContain('<style>');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain('QMP query-kvm says enabled=false');
    expect(html).toMatch(/not clearly faster than QEMU \(emulated, TCG\)/);
  });

  it('report.md links the plots and lists the findings', async () => {
    const md = (await readZip(zipFile)).get('report.md')!.toString('utf8');
    expect(md).toContain('![Relative performance](plots/normalized.svg)');
    expect(md).toMatch(/\[problem\] The KVM guest was not accelerated/);
  });

  it('refuses an unknown run with NOT_FOUND', async () => {
    await expect(
      exportBundle(new RunStore({ runsDir: runsA }), 'no-such-run', join(root, 'x.zip')),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('bundle import', () => {
  it('round trip preserves every sample; the run appears in history as imported', async () => {
    const runsB = join(root, 'runsB');
    const res = await importBundle(zipFile, { runsDir: runsB });
    expect(res.runId).toBe(RUN_ID);
    expect(res.samples).toBe(samples.length);
    const store = new RunStore({ runsDir: runsB });
    const detail = store.get(res.runId);
    expect(detail.samples).toEqual(samples.map((s) => SampleSchema.parse(s)));
    const [item] = store.list();
    expect(item).toMatchObject({
      runId: RUN_ID,
      imported: true,
      sampleCount: samples.length,
      failedCount: 1,
    });
    expect(readFileSync(join(res.dir, 'consoles', 'native.log'), 'utf8')).toBe(
      readFileSync(join(runsA, RUN_ID, 'consoles', 'native.log'), 'utf8'),
    );
    // Report files are regenerated on export, not kept in the run folder.
    expect(existsSync(join(res.dir, 'report.html'))).toBe(false);

    // A second import of the same bundle gets its own folder.
    const again = await importBundle(zipFile, { runsDir: runsB });
    expect(again.runId).toBe(`${RUN_ID}-imported`);
    expect(again.originalRunId).toBe(RUN_ID);
    expect(
      store
        .list()
        .map((r) => r.runId)
        .sort(),
    ).toEqual([RUN_ID, `${RUN_ID}-imported`]);
    expect(readdirSync(runsB).filter((n) => n.startsWith('.'))).toEqual([]);

    // Imported runs export again (compare with local ones, share further).
    const re = await exportBundle(store, again.runId, join(root, 'out', 're.zip'));
    expect(re.entries).toContain('report.html');
  });

  const sampleLine = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ ...cellSamples('native', 'syscall', 100, { n: 1 })[0], ...over }) + '\n';
  const experimentJson = JSON.stringify({
    runId: 'crafted-run',
    startedAt: '2024-01-01T00:00:00Z',
    status: 'completed',
    config: { platforms: ['native'] },
  });
  const valid: CraftEntry[] = [
    { name: 'experiment.json', data: experimentJson },
    { name: 'samples.ndjson', data: sampleLine() },
  ];

  it('accepts a minimal crafted bundle (the crafted rejections below are therefore about their flaw)', async () => {
    const runs = join(root, 'runs-valid');
    const res = await importBundle(craftZip(valid), { runsDir: runs });
    expect(res).toMatchObject({ runId: 'crafted-run', samples: 1 });
  });

  const evilName = `bv-abs-evil-${process.pid}.txt`;
  const cases: [string, CraftEntry[], RegExp, Partial<typeof DEFAULT_LIMITS>?][] = [
    [
      'a ../ path',
      [...valid, { name: '../evil.txt', data: 'x' }],
      /entry "\.\.\/evil\.txt" escapes the bundle folder/,
    ],
    [
      'a nested ../ path',
      [...valid, { name: 'consoles/../../evil.txt', data: 'x' }],
      /escapes the bundle folder/,
    ],
    [
      'an absolute path',
      [...valid, { name: `/tmp/${evilName}`, data: 'x' }],
      /is an absolute path/,
    ],
    ['a Windows drive path', [...valid, { name: 'C:/evil.txt', data: 'x' }], /is an absolute path/],
    ['a backslash path', [...valid, { name: '..\\evil.txt', data: 'x' }], /backslash/],
    [
      'a symlink entry',
      [...valid, { name: 'consoles/native.log', data: '/etc/passwd', mode: 0o120777 }],
      /"consoles\/native\.log" is a symbolic link/,
    ],
    [
      'a device entry',
      [...valid, { name: 'consoles/native.log', data: '', mode: 0o020644 }],
      /not a regular file/,
    ],
    [
      'an entry declaring a huge size',
      [
        valid[0]!,
        { name: 'samples.ndjson', data: sampleLine(), declaredSize: 3_000_000_000, deflate: true },
      ],
      /"samples\.ndjson" declares 2861\.0 MiB, above the 512\.0 MiB limit/,
    ],
    [
      'more bytes than declared',
      [
        ...valid,
        { name: 'consoles/native.log', data: 'x'.repeat(5000), declaredSize: 10, deflate: true },
      ],
      /entry "consoles\/native\.log" (holds more data than the 10 bytes it declares|cannot be decompressed: too many bytes)/,
    ],
    [
      'fewer bytes than declared',
      [
        ...valid,
        { name: 'consoles/native.log', data: 'x'.repeat(50), declaredSize: 500, deflate: true },
      ],
      /entry "consoles\/native\.log" (holds 50 bytes but declares 500|cannot be decompressed: not enough bytes)/,
    ],
    [
      'stored sizes that disagree',
      [...valid, { name: 'consoles/native.log', data: 'x'.repeat(50), declaredSize: 500 }],
      /corrupt zip: compressed\/uncompressed size mismatch/,
    ],
    [
      'a zip bomb ratio',
      [
        ...valid,
        { name: 'consoles/native.log', data: Buffer.alloc(4 * 1024 * 1024), deflate: true },
      ],
      /expands \d+× .* looks like a zip bomb/,
      { maxCompressionRatio: 100 },
    ],
    [
      'invalid JSON',
      [{ name: 'experiment.json', data: '{"runId": "x",' }, valid[1]!],
      /experiment\.json is not valid JSON/,
    ],
    [
      'invalid NDJSON',
      [valid[0]!, { name: 'samples.ndjson', data: sampleLine() + '{oops\n' }],
      /samples\.ndjson line 2 is not valid JSON/,
    ],
    [
      'a wrong sample schema',
      [valid[0]!, { name: 'samples.ndjson', data: sampleLine({ value: 'fast' }) }],
      /samples\.ndjson line 1 is not a valid sample:\nvalue:/,
    ],
    [
      'an unknown platform',
      [valid[0]!, { name: 'samples.ndjson', data: sampleLine({ platform: 'vmware' }) }],
      /line 1 is not a valid sample:\nplatform:/,
    ],
    [
      'a wrong experiment schema',
      [{ name: 'experiment.json', data: '{"startedAt":"x","config":{}}' }, valid[1]!],
      /experiment\.json has the wrong shape:\nrunId:/,
    ],
    [
      'an unexpected entry',
      [...valid, { name: 'run.sh', data: 'rm -rf /' }],
      /unexpected entry "run\.sh"/,
    ],
    ['a missing samples file', [valid[0]!], /has no samples\.ndjson/],
    ['a duplicate entry', [...valid, valid[1]!], /appears twice/],
  ];

  it.each(cases)(
    'rejects %s with a specific message and writes nothing outside the import folder',
    async (_name, entries, message, limits) => {
      const parent = mkdtempSync(join(root, 'crafted-'));
      const runs = join(parent, 'runs');
      const before = readdirSync(parent);
      const error = await importBundle(craftZip(entries), {
        runsDir: runs,
        limits: { ...DEFAULT_LIMITS, ...(limits ?? {}) },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).code).toBe('BUNDLE_INVALID');
      expect((error as AppFailure).message).toMatch(message);
      // Nothing left: the runs folder is empty (temp folder removed), no file next to it, nothing in /tmp.
      expect(readdirSync(runs)).toEqual([]);
      expect(readdirSync(parent)).toEqual([...before, 'runs']);
      expect(existsSync(join(root, 'evil.txt'))).toBe(false);
      expect(existsSync(join('/tmp', evilName))).toBe(false);
    },
  );

  it('rejects a file that is not a zip', async () => {
    const f = join(root, 'not.zip');
    writeFileSync(f, 'hello');
    await expect(importBundle(f, { runsDir: join(root, 'runs-notzip') })).rejects.toThrow(
      /not a readable zip file/,
    );
  });
});
