import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { isoDate, isValidYmd, parseIsoDate, weekdayOf } from '../../src/core/dates.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { d } from './helpers.js';

const N = Number.NaN;

function sample(): DatedMatrix {
  return DatedMatrix.fromRows(
    [d('2020-01-02'), d('2020-01-03'), d('2020-01-06'), d('2020-01-07')],
    ['AAPL', 'BRK/B', 'BF.B'],
    [
      [1, N, 10],
      [2, N, 11],
      [3, 30, N],
      [4, 31, 13],
    ],
  );
}

describe('dates', () => {
  it('converts day numbers and ISO text both ways', () => {
    expect(isoDate(0)).toBe('1970-01-01');
    expect(d('2000-02-29')).toBe(11016);
    expect(isoDate(11016)).toBe('2000-02-29');
    expect(parseIsoDate('2024-12-31')).toBe(d('2024-12-31'));
    expect(() => parseIsoDate('2021-02-29')).toThrow(ValidationError);
    expect(() => parseIsoDate('31/12/2020', 'start date')).toThrow(/start date must be a calendar date/);
    expect(isValidYmd(2024, 2, 29)).toBe(true);
    expect(isValidYmd(2023, 2, 29)).toBe(false);
    expect(weekdayOf(0)).toBe(4); // Thursday
    expect(weekdayOf(d('2026-11-24'))).toBe(2); // a Tuesday
    expect(weekdayOf(-1)).toBe(3);
  });
});

describe('DatedMatrix', () => {
  it('stores columns contiguously and reads back by row and column', () => {
    const m = sample();
    expect(m.rowCount).toBe(4);
    expect(m.columnCount).toBe(3);
    expect(Array.from(m.column(0))).toEqual([1, 2, 3, 4]);
    expect(Array.from(m.values.subarray(8, 12))).toEqual([10, 11, N, 13]);
    expect(m.get(2, 1)).toBe(30);
    expect(Number.isNaN(m.get(0, 1))).toBe(true);
    expect(Array.from(m.series('BF.B'))).toEqual([10, 11, N, 13]);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07']);
    expect(m.toRows()[2]).toEqual([3, 30, N]);
  });

  it('finds first and last valid rows per ticker', () => {
    const m = sample();
    expect(m.firstValidRow(1)).toBe(2);
    expect(m.lastValidRow(2)).toBe(3);
    const empty = DatedMatrix.fromColumns([1, 2], ['X'], [[N, N]]);
    expect(empty.firstValidRow(0)).toBe(-1);
    expect(empty.lastValidRow(0)).toBe(-1);
  });

  it('rejects inconsistent shapes, unsorted dates and duplicate tickers', () => {
    expect(() => new DatedMatrix(Int32Array.of(1, 2), ['A'], new Float64Array(3))).toThrow(/needs 2 values, got 3/);
    expect(() => DatedMatrix.fromColumns([2, 1], ['A'], [[1, 2]])).toThrow(/strictly increasing/);
    expect(() => DatedMatrix.fromColumns([1, 1], ['A'], [[1, 2]])).toThrow(ValidationError);
    expect(() => DatedMatrix.fromColumns([1], ['A', 'A'], [[1], [2]])).toThrow(/"A" appears twice/);
    expect(() => DatedMatrix.fromColumns([1], [''], [[1]])).toThrow(/empty/);
    expect(() => DatedMatrix.fromRows([1, 2], ['A', 'B'], [[1, 2], [3]])).toThrow(/row 2/);
  });

  it('selects tickers in the order asked and names an unknown ticker', () => {
    const m = sample().selectTickers(['BF.B', 'AAPL']);
    expect(m.tickers).toEqual(['BF.B', 'AAPL']);
    expect(m.toRows()).toEqual([
      [10, 1],
      [11, 2],
      [N, 3],
      [13, 4],
    ]);
    expect(() => sample().selectTickers(['MSFT'])).toThrow(DataError);
    expect(() => sample().selectTickers(['MSFT'])).toThrow(/unknown ticker "MSFT"; the data has AAPL, BRK\/B, BF.B/);
  });

  it('selects date ranges inclusively', () => {
    const m = sample();
    expect(m.between('2020-01-03', '2020-01-06').isoDates()).toEqual(['2020-01-03', '2020-01-06']);
    expect(m.between('2020-01-04').isoDates()).toEqual(['2020-01-06', '2020-01-07']);
    expect(m.between(undefined, d('2020-01-02')).rowCount).toBe(1);
    expect(m.between('2021-01-01').rowCount).toBe(0);
    expect(() => m.between('2020-02-01', '2020-01-01')).toThrow(/after the end date/);
    expect(m.between('2020-01-06').toRows()).toEqual([
      [3, 30, N],
      [4, 31, 13],
    ]);
  });

  it('infers periods per year or keeps the given value through derivations', () => {
    const m = sample();
    expect(m.periodsPerYear).toBe(252);
    expect(m.hasExplicitPeriodsPerYear).toBe(false);
    const weekly = m.withPeriodsPerYear(52);
    expect(weekly.periodsPerYear).toBe(52);
    expect(weekly.selectTickers(['AAPL']).periodsPerYear).toBe(52);
    expect(weekly.between('2020-01-06').periodsPerYear).toBe(52);
    expect(() => m.withPeriodsPerYear(0)).toThrow(ValidationError);
  });
});
