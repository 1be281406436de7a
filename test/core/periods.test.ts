import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { inferPeriodsPerYear, riskFreePerPeriod } from '../../src/core/periods.js';
import { businessDays, d } from './helpers.js';

function everyNDays(start: string, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => d(start) + i * step);
}

function monthEnds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => Date.UTC(2000, i + 1, 0) / 86_400_000);
}

describe('periods per year', () => {
  it('infers the usual frequencies from the date spacing', () => {
    expect(inferPeriodsPerYear(businessDays('2020-01-01', 300))).toBe(252);
    expect(inferPeriodsPerYear(everyNDays('2020-01-01', 1, 400))).toBe(365); // calendar days, weekends included
    expect(inferPeriodsPerYear(everyNDays('2020-01-03', 7, 60))).toBe(52);
    expect(inferPeriodsPerYear(monthEnds(40))).toBe(12);
    expect(inferPeriodsPerYear(everyNDays('2000-01-01', 91, 20))).toBe(4);
    expect(inferPeriodsPerYear(everyNDays('2000-01-01', 365, 10))).toBe(1);
  });

  it('asks for the frequency when it cannot tell', () => {
    expect(() => inferPeriodsPerYear([d('2020-01-01')])).toThrow(/from 1 date; give periods per year/);
    expect(() => inferPeriodsPerYear(everyNDays('2020-01-01', 14, 30))).toThrow(ValidationError);
    expect(() => inferPeriodsPerYear(everyNDays('2020-01-01', 14, 30))).toThrow(/median spacing of the dates is 14/);
  });

  it('converts an annual risk-free rate to a per-period one by compounding', () => {
    // (1.02)^(1/12) - 1 worked out independently: exp(ln(1.02)/12) - 1 = 0.0016515813019202...
    expect(riskFreePerPeriod(0.02, 12)).toBeCloseTo(0.0016515813019202, 15);
    expect((1 + riskFreePerPeriod(0.05, 252)) ** 252 - 1).toBeCloseTo(0.05, 12);
    expect(riskFreePerPeriod(0, 252)).toBe(0);
    expect(() => riskFreePerPeriod(-1.5, 12)).toThrow(/annual decimal/);
    expect(() => riskFreePerPeriod(0.02, 0)).toThrow(/positive number/);
  });
});
