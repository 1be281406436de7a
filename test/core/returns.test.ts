import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError } from '../../src/core/errors.js';
import { logReturns, simpleReturns } from '../../src/core/returns.js';
import { businessDays } from './helpers.js';

const N = Number.NaN;

// LATE lists on the third date, GAP misses its fourth price, FULL has every price.
const prices = DatedMatrix.fromColumns(
  businessDays('2021-03-01', 6),
  ['FULL', 'LATE', 'GAP'],
  [
    [100, 110, 99, 99, 120, 60],
    [N, N, 50, 55, 44, 44],
    [10, 12, 15, N, 18, 9],
  ],
);

describe('simple returns', () => {
  it('start one row later and skip leading gaps instead of inventing zero returns', () => {
    const r = simpleReturns(prices);
    expect(r.rowCount).toBe(5);
    expect(r.isoDates()[0]).toBe('2021-03-02');
    expect(Array.from(r.series('FULL'))).toEqual([110 / 100 - 1, 99 / 110 - 1, 0, 120 / 99 - 1, 60 / 120 - 1]);
    const late = Array.from(r.series('LATE'));
    expect(late.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(late.slice(2)).toEqual([55 / 50 - 1, 44 / 55 - 1, 0]);
  });

  it("'nan' gap policy: no return on either side of a missing price", () => {
    const gap = Array.from(simpleReturns(prices).series('GAP'));
    expect(gap[0]).toBeCloseTo(0.2, 15);
    expect(gap[1]).toBe(15 / 12 - 1);
    expect(Number.isNaN(gap[2])).toBe(true);
    expect(Number.isNaN(gap[3])).toBe(true);
    expect(gap[4]).toBe(9 / 18 - 1);
  });

  it("'span' gap policy: the return after a gap compounds over it", () => {
    const gap = Array.from(simpleReturns(prices, { gaps: 'span' }).series('GAP'));
    expect(Number.isNaN(gap[2])).toBe(true);
    expect(gap[3]).toBe(18 / 15 - 1);
    const growth = gap.filter((x) => !Number.isNaN(x)).reduce((acc, x) => acc * (1 + x), 1);
    expect(growth).toBeCloseTo(9 / 10, 14); // total price change preserved
    // Leading gaps are still NaN under 'span'.
    expect(Number.isNaN(simpleReturns(prices, { gaps: 'span' }).get(0, 1))).toBe(true);
  });

  it('keeps periods per year and rejects non-positive prices with the ticker and date', () => {
    expect(simpleReturns(prices).periodsPerYear).toBe(252);
    expect(simpleReturns(prices.withPeriodsPerYear(12)).periodsPerYear).toBe(12);
    const bad = DatedMatrix.fromColumns(businessDays('2021-03-01', 3), ['X'], [[1, 0, 2]]);
    expect(() => simpleReturns(bad)).toThrow(DataError);
    expect(() => simpleReturns(bad)).toThrow(/price of "X" on 2021-03-02 is 0/);
  });

  it('handles a single price row (no returns) without failing', () => {
    const one = DatedMatrix.fromColumns([100], ['X'], [[5]]);
    expect(simpleReturns(one).rowCount).toBe(0);
  });
});

describe('log returns', () => {
  it('are ln(p_t / p_{t-1}) with the same gap handling', () => {
    const r = logReturns(prices);
    expect(r.get(0, 0)).toBe(Math.log(1.1));
    expect(r.get(2, 0)).toBe(0);
    expect(Number.isNaN(r.get(0, 1))).toBe(true);
    expect(Number.isNaN(r.get(3, 2))).toBe(true);
    const spanned = logReturns(prices, { gaps: 'span' });
    expect(spanned.get(3, 2)).toBe(Math.log(18 / 15));
  });
});
