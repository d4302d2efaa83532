/** Desktop Export: the bundle is copied to where the save dialog pointed (real files). */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveExportAs } from '../../src/main/api/saveExport';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchvisor-save-export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saveExportAs (desktop Export)', () => {
  const exported = (file: string) => ({ file, bytes: 5, downloadName: 'benchvisor-r1.zip' });

  it('copies the bundle to the chosen path and reports it', async () => {
    const src = join(dir, 'exports.zip');
    writeFileSync(src, 'PK\u0003\u0004zip!');
    const target = join(dir, 'chosen.zip');
    let asked = '';
    const res = await saveExportAs(exported(src), async (name) => {
      asked = name;
      return target;
    });
    expect(asked).toBe('benchvisor-r1.zip');
    expect(res.ok && res.value.file).toBe(target);
    expect(res.ok && res.value.bytes).toBe(8);
    expect(readFileSync(target, 'latin1')).toBe('PK\u0003\u0004zip!');
  });

  it('is CANCELLED when the dialog is dismissed, and writes nothing', async () => {
    const src = join(dir, 'exports.zip');
    writeFileSync(src, 'PK\u0003\u0004zip!');
    const res = await saveExportAs(exported(src), async () => null);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('CANCELLED');
    // nothing was written: the folder holds only the exported bundle, unchanged
    expect(readdirSync(dir)).toEqual(['exports.zip']);
    expect(readFileSync(src, 'latin1')).toBe('PK\u0003\u0004zip!');
  });

  it('says where it could not write', async () => {
    const src = join(dir, 'exports.zip');
    writeFileSync(src, 'zip');
    const target = join(dir, 'missing-folder', 'out.zip');
    const res = await saveExportAs(exported(src), async () => target);
    expect(!res.ok && res.error.code).toBe('IO_ERROR');
    expect(!res.ok && res.error.message).toContain(target);
  });
});
