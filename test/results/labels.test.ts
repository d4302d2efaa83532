import { describe, expect, it } from 'vitest';
import { formatValue } from '../../src/shared/plots/labels';

describe('formatValue (labels, tables and reports)', () => {
  it.each([
    [410, '410'],
    [230, '230'],
    [100, '100'],
    [2.5, '2.5'],
    [2.0, '2'],
    [12.34, '12.3'],
    [999.96, '1,000'],
    [5074800, '5,074,800'],
    [0.0542, '0.0542'],
    [0, '0'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (x, expected) => {
    expect(formatValue(x)).toBe(expected);
  });
});
