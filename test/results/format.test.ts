import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatPercent,
  formatP,
  metricName,
  speedIntervalText,
  speedText,
  speedWithInterval,
} from '../../src/shared/format';
import { formatValue, overheadLabel } from '../../src/shared/plots';
import { num } from '../../src/shared/findings/context';

describe('formatNumber: the one number format', () => {
  it.each([
    [1166, '1,166'],
    [5733918, '5,733,918'],
    [999.96, '1,000'],
    [410, '410'],
    [12.34, '12.3'],
    [2.0, '2'],
    [0.0542, '0.0542'],
    [-5.766, '\u22125.77'],
    [-1234, '\u22121,234'],
    [0, '0'],
    [null, '—'],
    [Number.NaN, '—'],
    [Infinity, '—'],
  ])('%s → %s', (x, expected) => {
    expect(formatNumber(x)).toBe(expected);
  });

  it('is the function behind every view: charts, tables, findings, reports', () => {
    for (const x of [1166, 0.0123456, 5733918.4, 12.345]) {
      expect(formatValue(x)).toBe(formatNumber(x));
      expect(num(x)).toBe(formatNumber(x));
    }
  });
});

describe('speedText: a relative speed in words', () => {
  it.each([
    [1 / 32.54, '33× slower'],
    [1 / 3154, '3,154× slower'],
    [0.5, '2.0× slower'],
    [2.4, '2.4× faster'],
    [12.2, '12× faster'],
    [0.89, '0.89× — 12.4% more time'],
    [1 / 1.128, '0.89× — 12.8% more time'],
    [1.12, '1.12× — 10.7% less time'],
    [1, '1.00× — same time'],
    [null, '—'],
    [0, '—'],
  ])('%s → %s', (r, expected) => {
    expect(speedText(r)).toBe(expected);
  });

  it('states intervals in the same terms as the speed', () => {
    expect(speedIntervalText(1 / 36, 1 / 30)).toBe('30–36×');
    expect(speedIntervalText(2.1, 2.6)).toBe('2.1–2.6×');
    expect(speedIntervalText(0.85, 0.93)).toBe('0.85–0.93×');
    expect(speedIntervalText(null, 0.9)).toBe('');
    expect(speedWithInterval(1 / 33, 1 / 36, 1 / 30)).toBe('33× slower (30–36×)');
    expect(speedWithInterval(0.9, null, null)).toBe('0.90× — 11.1% more time');
  });

  it('chart labels speak the same words, never "+3154% overhead"', () => {
    expect(overheadLabel(3154, 1 / 32.54)).toBe('33× slower');
    expect(overheadLabel(12.8, 1 / 1.128)).toBe('0.89× — 12.8% more time');
    expect(overheadLabel(null, null)).toBe('—');
  });
});

describe('percent, p and metric names', () => {
  it('formats percents with one decimal, whole from 100 up, with a minus sign', () => {
    expect(formatPercent(12.84)).toBe('12.8%');
    expect(formatPercent(-4)).toBe('\u22124.0%');
    expect(formatPercent(3154.2)).toBe('3,154%');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats p values', () => {
    expect(formatP(0.0001)).toBe('p < 0.001');
    expect(formatP(0.0421)).toBe('p = 0.042');
    expect(formatP(null)).toBe('p not computable');
  });
  it('never says "KFLOPS in KFLOPS"', () => {
    expect(metricName('KFLOPS', 'KFLOPS')).toBe('KFLOPS');
    expect(metricName('Time', 's')).toBe('Time (s)');
  });
});
