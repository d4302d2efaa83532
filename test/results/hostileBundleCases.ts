/**
 * The crafted bundles of issue #23 (items 1, 2 and 9), shared by the importer's unit test and
 * the integration test that sends them to the built CLI and to a running `serve`.
 */
import { cellSamples } from './fixtures';
import { beforeEndRecord, craftZip, zip64Locator } from './zipCraft';
import type { CraftEntry } from './zipCraft';

/** Nesting of the crafted JSON (the issue's probe: 6,000 levels in 12 KB killed `serve`). */
export const HOSTILE_DEPTH = 6000;
const deepJson = (): string => '{"a":'.repeat(HOSTILE_DEPTH) + '1' + '}'.repeat(HOSTILE_DEPTH);

export const HOSTILE_RUN_ID = 'hostile-run';

function sampleLine(over: Record<string, unknown> = {}): string {
  const s = cellSamples('native', 'syscall', 100, { n: 1, runId: HOSTILE_RUN_ID })[0]!;
  return JSON.stringify({ ...s, ...over }) + '\n';
}

/** A minimal valid bundle: experiment.json and one sample. */
export function validEntries(sample: Record<string, unknown> = {}): CraftEntry[] {
  return [
    {
      name: 'experiment.json',
      data: JSON.stringify({
        runId: HOSTILE_RUN_ID,
        startedAt: '2024-01-01T00:00:00Z',
        status: 'completed',
        config: { platforms: ['native'], benchmarks: ['syscall'] },
      }),
    },
    { name: 'samples.ndjson', data: sampleLine(sample) },
  ];
}

export interface HostileCase {
  id: string;
  title: string;
  /** The specific refusal. */
  message: RegExp;
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    id: 'deep-summary',
    title: 'a summary.json nested 6,000 levels deep',
    message: /summary\.json nests 6000 levels deep; at most 64 are accepted/,
  },
  {
    id: 'deep-environment',
    title: 'an environment.json nested 6,000 levels deep',
    message: /environment\.json nests 6000 levels deep/,
  },
  {
    id: 'deep-meta',
    title: "a sample's meta nested 6,000 levels deep",
    message: /samples\.ndjson line 1 nests 6001 levels deep/,
  },
  {
    id: 'zip64-locator',
    title: 'a ZIP64 end-of-directory locator pointing at offset 2^62',
    message:
      /not a readable zip file: the zip's directory points at bytes \d+–\d+, outside the file/,
  },
  {
    id: 'overlap',
    title: 'entries overlapping the same compressed bytes',
    message: /entry "consoles\/b\.log" overlaps entry "consoles\/a\.log"/,
  },
  {
    id: 'bad-crc',
    title: 'an entry whose CRC-32 does not match its bytes',
    message:
      /entry "consoles\/native\.log" is damaged: its CRC-32 is [0-9a-f]{8} but the zip records 00000000/,
  },
  {
    id: 'target-path',
    title: 'a sample target that is a path ("../../etc/passwd")',
    message: /samples\.ndjson line 1 is not a valid sample:\ntarget: not a target id/,
  },
  {
    id: 'cells-target',
    title: 'a cells.json target that is a path',
    message: /cells\.json names the target "\.\.\/\.\.\/etc\/passwd"/,
  },
];

/** The bytes of one crafted bundle by id (HOSTILE_CASES, or 'unit-backslash': valid). */
export function hostileBundle(id: string): Buffer {
  const base = validEntries();
  switch (id) {
    case 'deep-summary':
      return craftZip([...base, { name: 'summary.json', data: deepJson() }]);
    case 'deep-environment':
      return craftZip([...base, { name: 'environment.json', data: deepJson() }]);
    case 'deep-meta': {
      // Built as text: the value itself would be too deep for JSON.stringify here too.
      const line = sampleLine({ meta: '@META@' }).replace('"@META@"', deepJson());
      return craftZip([base[0]!, { name: 'samples.ndjson', data: line }]);
    }
    case 'zip64-locator':
      return beforeEndRecord(craftZip(base), zip64Locator(2n ** 62n));
    case 'overlap': {
      // 64 KiB of one letter deflate to a few hundred bytes, reused by 40 more names.
      const aliases: CraftEntry[] = Array.from({ length: 40 }, (_, i) => ({
        name: `consoles/${String.fromCharCode(98 + (i % 24))}${i >= 24 ? i : ''}.log`,
        aliasOf: 2,
      }));
      return craftZip([
        ...base,
        { name: 'consoles/a.log', data: 'x'.repeat(64 * 1024), deflate: true },
        ...aliases,
      ]);
    }
    case 'bad-crc':
      return craftZip([...base, { name: 'consoles/native.log', data: 'hello\n', crc: 0 }]);
    case 'target-path':
      return craftZip(validEntries({ target: '../../etc/passwd' }));
    case 'cells-target':
      return craftZip([
        ...base,
        {
          name: 'cells.json',
          data: JSON.stringify([
            {
              platform: 'native',
              target: '../../etc/passwd',
              benchmark: 'syscall',
              status: 'completed',
              measured: 1,
              failed: 0,
              warmup: 0,
            },
          ]),
        },
      ]);
    case 'unit-backslash':
      return craftZip(validEntries({ unit: 'ns\\per "call"\nraw' }));
    default:
      throw new Error(`no crafted bundle ${id}`);
  }
}
