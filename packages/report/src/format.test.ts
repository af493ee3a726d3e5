import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatFixed, formatPercent, formatShape, formatSignificant } from './format.js';

describe('number formatting', () => {
  it('formatFixed drops the sign of a rounded zero and names non-finite values', () => {
    expect(formatFixed(-0.0004, 2)).toBe('0.00');
    expect(formatFixed(-0.004, 2)).toBe('0.00');
    expect(formatFixed(-1.5, 1)).toBe('-1.5');
    expect(formatFixed(Number.NaN, 2)).toBe('NaN');
    expect(formatFixed(Infinity, 2)).toBe('∞');
    expect(formatFixed(-Infinity, 2)).toBe('−∞');
  });

  it('formatPercent shows fractions as percentages and keeps NaN without a % sign', () => {
    expect(formatPercent(0.98123)).toBe('98.12%');
    expect(formatPercent(1, 1)).toBe('100.0%');
    expect(formatPercent(Number.NaN)).toBe('NaN');
  });

  it('formatSignificant keeps four significant digits and switches to exponents only at the extremes', () => {
    expect(formatSignificant(2.302585)).toBe('2.303');
    expect(formatSignificant(0.0712345)).toBe('0.07123');
    expect(formatSignificant(1234.5678)).toBe('1235');
    expect(formatSignificant(0.00001234)).toBe('1.234e-5');
    expect(formatSignificant(0)).toBe('0');
    expect(formatSignificant(Number.NaN)).toBe('NaN');
  });

  it('formatCount groups thousands with commas, whatever the machine locale', () => {
    expect(formatCount(60000)).toBe('60,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatCount(-4200)).toBe('-4,200');
  });

  it('formatDuration picks a unit people read at a glance', () => {
    expect(formatDuration(0.843)).toBe('0.84 s');
    expect(formatDuration(42.08)).toBe('42.1 s');
    expect(formatDuration(59.97)).toBe('1 min 00 s');
    expect(formatDuration(192)).toBe('3 min 12 s');
    expect(formatDuration(7500)).toBe('2 h 05 min');
  });

  it('formatShape joins dimensions with ×', () => {
    expect(formatShape([1, 28, 28])).toBe('1 × 28 × 28');
    expect(formatShape([])).toBe('scalar');
  });
});
