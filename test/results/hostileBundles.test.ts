/**
 * Issue #23 items 1, 2 and 9 at the importer: crafted bundles that used to import (and then
 * kill `serve` when opened, or break export) or to crash the importer are refused by name, and
 * nothing is left in the runs folder; odd units are data and export. The same bundles go
 * through the built CLI and a running `serve` in hostileBundles.integration.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/store/runStore';
import { exportBundle, importBundle } from '../../src/main/export';
import { AppFailure } from '../../src/shared/result';
import {
  JSON_MAX_DEPTH,
  jsonTextDepth,
  safeStringify,
  serialiseWireMessage,
} from '../../src/shared/safeJson';
import { hostileBundle, HOSTILE_CASES, validEntries } from './hostileBundleCases';
import { craftZip } from './zipCraft';

const root = mkdtempSync(join(tmpdir(), 'bv-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A value nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('safe serialisation (shared/safeJson)', () => {
  it('measures the depth of JSON text without parsing, ignoring brackets in strings', () => {
    expect(jsonTextDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonTextDepth('"\\"[["')).toBe(0);
    expect(jsonTextDepth('{"a":'.repeat(6000) + '1' + '}'.repeat(6000))).toBe(6000);
  });

  it('a reply too deep to serialise becomes an error reply with the same id; an event is dropped', () => {
    const deep = nested(200_000);
    expect(safeStringify(deep).ok).toBe(false);
    const text = serialiseWireMessage({ type: 'reply', id: 7, result: { ok: true, value: deep } });
    const reply = JSON.parse(text!) as {
      id: number;
      result: { ok: boolean; error: { code: string } };
    };
    expect(reply.id).toBe(7);
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(serialiseWireMessage({ type: 'event', event: 'run:sample', payload: deep })).toBeNull();
    expect(serialiseWireMessage({ type: 'event', event: 'x', payload: { n: 1n } })).toBeNull();
    expect(serialiseWireMessage({ type: 'reply', id: 1, result: { ok: true, value: 2 } })).toBe(
      '{"type":"reply","id":1,"result":{"ok":true,"value":2}}',
    );
  });
});

describe('crafted bundles are refused by name (issue #23 items 1, 2, 9)', () => {
  it('the valid base bundle imports (so each refusal below is about its flaw)', async () => {
    const runs = join(root, 'base');
    const res = await importBundle(craftZip(validEntries()), { runsDir: runs });
    expect(res.samples).toBe(1);
  });

  for (const c of HOSTILE_CASES) {
    it(`refuses ${c.title}`, async () => {
      const runs = join(root, c.id);
      let error: unknown;
      try {
        await importBundle(hostileBundle(c.id), { runsDir: runs });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).code).toBe('BUNDLE_INVALID');
      expect((error as AppFailure).message).toMatch(c.message);
      expect(readdirSync(runs)).toEqual([]);
    });
  }

  it(`JSON nested exactly ${JSON_MAX_DEPTH} levels deep is accepted`, async () => {
    const entries = validEntries();
    entries.push({ name: 'summary.json', data: JSON.stringify(nested(JSON_MAX_DEPTH - 1)) });
    const res = await importBundle(craftZip(entries), { runsDir: join(root, 'at-cap') });
    expect(res.samples).toBe(1);
  });

  it('a deflated entry inflating to the bytes it declares but not its CRC is refused', async () => {
    const data = Buffer.from('x'.repeat(5000));
    const entries = validEntries();
    entries.push({
      name: 'consoles/native.log',
      deflated: { body: deflateRawSync(data), size: data.length, crc: crc32(data) ^ 1 },
    });
    await expect(
      importBundle(craftZip(entries), { runsDir: join(root, 'crc-deflated') }),
    ).rejects.toThrow(/consoles\/native\.log" is damaged: its CRC-32 is/);
  });

  it('units holding a backslash, a quote or a newline are data: the run imports and exports with its chart', async () => {
    const runs = join(root, 'odd-unit');
    const res = await importBundle(hostileBundle('unit-backslash'), { runsDir: runs });
    const out = join(root, 'odd-unit.zip');
    const exported = await exportBundle(new RunStore({ runsDir: runs }), res.runId, out);
    expect(exported.entries).toContain('plots/syscall.svg');
    expect(readFileSync(out).length).toBeGreaterThan(0);
  });
});
