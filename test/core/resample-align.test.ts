import { describe, expect, it } from 'vitest';
import { alignMatrices } from '../../src/core/align.js';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { periodKey, resamplePrices } from '../../src/core/resample.js';
import { businessDays, d } from './helpers.js';

const N = Number.NaN;

describe('resamplePrices', () => {
  // Business days from Thu 2020-12-24 to Tue 2021-04-06, 74 rows (rows 0..).
  const days = businessDays('2020-12-24', 74);
  const price = days.map((_, i) => 100 + i);
  const late = days.map((day, i) => (day < d('2021-02-10') ? N : 500 + i));
  // A ticker with no price at all in March 2021.
  const holey = days.map((day, i) => (day >= d('2021-03-01') && day <= d('2021-03-31') ? N : 900 + i));
  const m = DatedMatrix.fromColumns(days, ['A', 'LATE', 'HOLEY'], [price, late, holey]);

  it('monthly: last date of each month in the index, last price inside the month', () => {
    const r = resamplePrices(m, 'monthly');
    expect(r.isoDates()).toEqual(['2020-12-31', '2021-01-29', '2021-02-26', '2021-03-31', '2021-04-06']);
    expect(r.periodsPerYear).toBe(12);
    const row = (iso: string) => days.indexOf(d(iso));
    expect(Array.from(r.series('A'))).toEqual([
      100 + row('2020-12-31'),
      100 + row('2021-01-29'),
      100 + row('2021-02-26'),
      100 + row('2021-03-31'),
      173,
    ]);
    expect(Number.isNaN(r.get(0, 1))).toBe(true);
    expect(Number.isNaN(r.get(1, 1))).toBe(true);
    expect(r.get(2, 1)).toBe(500 + row('2021-02-26'));
    // HOLEY has no March price: NaN, not February's price carried forward.
    expect(Number.isNaN(r.get(3, 2))).toBe(true);
    expect(r.get(4, 2)).toBe(900 + 73);
  });

  it('weekly (Monday-Sunday weeks), quarterly and annual', () => {
    const w = resamplePrices(m, 'weekly');
    expect(w.isoDates().slice(0, 3)).toEqual(['2020-12-25', '2021-01-01', '2021-01-08']);
    expect(w.periodsPerYear).toBe(52);
    const q = resamplePrices(m, 'quarterly');
    expect(q.isoDates()).toEqual(['2020-12-31', '2021-03-31', '2021-04-06']);
    expect(q.periodsPerYear).toBe(4);
    // HOLEY's last price in Q1 2021 is the one of 2021-02-26.
    expect(q.get(1, 2)).toBe(900 + days.indexOf(d('2021-02-26')));
    const a = resamplePrices(m, 'annual');
    expect(a.isoDates()).toEqual(['2020-12-31', '2021-04-06']);
    expect(a.periodsPerYear).toBe(1);
  });

  it('period keys: a week runs Monday to Sunday', () => {
    expect(periodKey(d('2021-01-04'), 'weekly')).toBe(periodKey(d('2021-01-10'), 'weekly'));
    expect(periodKey(d('2021-01-10'), 'weekly')).not.toBe(periodKey(d('2021-01-11'), 'weekly'));
    expect(periodKey(d('1969-12-29'), 'weekly')).toBe(periodKey(d('1970-01-04'), 'weekly'));
    expect(periodKey(d('2021-03-31'), 'quarterly')).not.toBe(periodKey(d('2021-04-01'), 'quarterly'));
  });
});

describe('alignMatrices', () => {
  const a = DatedMatrix.fromColumns([d('2020-01-01'), d('2020-01-02'), d('2020-01-03')], ['A'], [[1, 2, 3]]);
  const b = DatedMatrix.fromColumns(
    [d('2020-01-02'), d('2020-01-03'), d('2020-01-04')],
    ['B', 'C'],
    [
      [20, 30, 40],
      [N, 300, 400],
    ],
  );

  it('inner join keeps common dates only', () => {
    const r = alignMatrices([a, b], 'inner');
    expect(r.isoDates()).toEqual(['2020-01-02', '2020-01-03']);
    expect(r.tickers).toEqual(['A', 'B', 'C']);
    expect(r.toRows()).toEqual([
      [2, 20, N],
      [3, 30, 300],
    ]);
  });

  it('outer join keeps every date and fills nothing', () => {
    const r = alignMatrices([a, b], 'outer');
    expect(r.isoDates()).toEqual(['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04']);
    expect(r.toRows()).toEqual([
      [1, N, N],
      [2, 20, N],
      [3, 30, 300],
      [N, 40, 400],
    ]);
  });

  it('refuses a ticker present in two inputs and keeps a common explicit frequency', () => {
    expect(() => alignMatrices([a, a])).toThrow(/ticker "A" appears in two inputs/);
    expect(() => alignMatrices([])).toThrow(/no matrices/);
    const r = alignMatrices([a.withPeriodsPerYear(12), b.withPeriodsPerYear(12)], 'outer');
    expect(r.hasExplicitPeriodsPerYear).toBe(true);
    expect(r.periodsPerYear).toBe(12);
    expect(alignMatrices([a.withPeriodsPerYear(12), b], 'outer').hasExplicitPeriodsPerYear).toBe(false);
  });
});
