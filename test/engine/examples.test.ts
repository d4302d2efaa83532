import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

describe('examples/', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('has the documented examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'quick-native.json',
        'standard-native.json',
        'quick-docker.json',
        'quick-qemu.json',
        'quick-kvm.json',
        'quick-seed-study.json',
      ]),
    );
  });

  it.each(files)('%s is a valid experiment config', (file) => {
    const parsed = parseExperimentConfig(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
    expect(parsed.config.benchmarks.length).toBeGreaterThan(0);
  });
});
