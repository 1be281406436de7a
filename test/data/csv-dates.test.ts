import { describe, expect, it } from 'vitest';
import { epochDay } from '../../src/core/dates.js';
import { parseCsvMatrix } from '../../src/data/csv/index.js';
import { parseDateCell } from '../../src/data/csv/parse-date.js';
import { caught } from './csv-helpers.js';

const day = (y: number, m: number, d: number) => ({ kind: 'day', day: epochDay(y, m, d) });

/** The ISO dates of a one-ticker file whose date cells are `dates`. */
function datesOf(dates: readonly string[], dateFormat?: 'auto' | 'iso' | 'mdy' | 'dmy'): string[] {
  const text = `date,A\n${dates.map((t, i) => `${t.includes(',') ? JSON.stringify(t) : t},${i}`).join('\n')}\n`;
  return parseCsvMatrix(text, dateFormat === undefined ? {} : { dateFormat }).isoDates();
}

describe('parseDateCell', () => {
  it.each([
    ['2000-01-31', day(2000, 1, 31)],
    ['2000/01/31', day(2000, 1, 31)],
    ['2000.1.31', day(2000, 1, 31)],
    ['2020-01-02T00:00:00Z', day(2020, 1, 2)],
    ['2020-01-02T23:59:59.999+05:30', day(2020, 1, 2)],
    ['2020-01-02 16:00:00', day(2020, 1, 2)],
    ['2020-01-02 16:00', day(2020, 1, 2)],
    ['  2020-01-02  ', day(2020, 1, 2)],
    ['Jan 1 2000', day(2000, 1, 1)],
    ['January 1, 2000', day(2000, 1, 1)],
    ['jan. 15, 2000', day(2000, 1, 15)],
    ['Sept 30 2001', day(2001, 9, 30)],
    ['1 Jan 2000', day(2000, 1, 1)],
    ['01-Jan-2000', day(2000, 1, 1)],
    ['29 FEBRUARY 2000', day(2000, 2, 29)],
    ['Dec-31-1999', day(1999, 12, 31)],
  ])('reads %j as a day', (text, expected) => {
    expect(parseDateCell(text, 'auto')).toEqual(expected);
  });

  it('keeps the parts of a numeric date for the file-wide decision under auto', () => {
    expect(parseDateCell('03/04/2000', 'auto')).toEqual({ kind: 'numeric', first: 3, second: 4, year: 2000 });
    expect(parseDateCell('13.04.2000', 'auto')).toEqual({ kind: 'numeric', first: 13, second: 4, year: 2000 });
    expect(parseDateCell('3-4-2000', 'auto')).toEqual({ kind: 'numeric', first: 3, second: 4, year: 2000 });
  });

  it('reads numeric dates in the order given by mdy or dmy', () => {
    expect(parseDateCell('03/04/2000', 'mdy')).toEqual(day(2000, 3, 4));
    expect(parseDateCell('03/04/2000', 'dmy')).toEqual(day(2000, 4, 3));
    expect(parseDateCell('2000-03-04', 'dmy')).toEqual(day(2000, 3, 4));
    expect(parseDateCell('Mar 4 2000', 'mdy')).toEqual(day(2000, 3, 4));
    expect(parseDateCell('13/04/2000', 'mdy')).toMatchObject({
      kind: 'invalid',
      expected: 'a real calendar date',
      advice: "There is no month 13 (the date format 'mdy' reads month first, MM/DD/YYYY)",
    });
  });

  it('accepts only year-first dates under iso', () => {
    expect(parseDateCell('2000-03-04T10:00:00Z', 'iso')).toEqual(day(2000, 3, 4));
    expect(parseDateCell('03/04/2000', 'iso')).toMatchObject({ kind: 'invalid', expected: /date format is 'iso'/ });
    expect(parseDateCell('Jan 1 2000', 'iso')).toMatchObject({ kind: 'invalid' });
  });

  it.each([
    ['1-Jan-00', 'a four-digit year', 'A two-digit year (00) could be 1900 or 2000; write the year in full'],
    ['01/02/99', 'a four-digit year', 'A two-digit year (99) could be 1999 or 2099; write the year in full'],
    ['Jan 1 200', 'a four-digit year', 'Write the year with four digits'],
    ['2021-02-30', 'a real calendar date', 'February 2021 has 28 days'],
    ['2020-13-01', 'a real calendar date', 'There is no month 13'],
    ['Apr 31 2020', 'a real calendar date', 'April 2020 has 30 days'],
    ['13/14/2000', 'a real calendar date', 'Neither 13 nor 14 is a month'],
    ['32/01/2000', 'a real calendar date', '32 is neither a day nor a month'],
    ['00/01/2000', 'a real calendar date', 'Days and months are numbered from 1'],
    ['0999-01-01', 'a real calendar date', 'Years before 1000 are not supported'],
  ])('rejects %j: expected %s', (text, expected, advice) => {
    expect(parseDateCell(text, 'auto')).toEqual({ kind: 'invalid', expected, advice });
  });

  it.each(['yesterday', '20200102', 'Foo 1 2000', '2020-01-02T', '2020-01/02', '01/02.2000', '2020-01-02 noon'])(
    'does not take %j for a date',
    (text) => {
      expect(parseDateCell(text, 'auto')).toMatchObject({
        kind: 'invalid',
        expected: expect.stringMatching(/^a date \(/),
      });
    },
  );

  it('rejects an empty cell', () => {
    expect(parseDateCell('  ', 'auto')).toEqual({ kind: 'invalid', expected: 'a date' });
  });
});

describe('date columns of a file', () => {
  it('reads ISO, date-time and month-name dates mixed in one file', () => {
    expect(datesOf(['2000-01-03', '2000/01/04T00:00:00Z', 'Jan 5 2000', 'January 6, 2000', '7 Jan 2000'])).toEqual([
      '2000-01-03',
      '2000-01-04',
      '2000-01-05',
      '2000-01-06',
      '2000-01-07',
    ]);
  });

  it('reads numeric dates month first when a second part is above 12 (US)', () => {
    expect(datesOf(['01/02/2000', '01/13/2000', '02/01/2000'])).toEqual(['2000-01-02', '2000-01-13', '2000-02-01']);
  });

  it.each([
    ['/', ['01/02/2000', '13/01/2000']],
    ['.', ['01.02.2000', '13.01.2000']],
    ['-', ['01-02-2000', '13-01-2000']],
  ])('reads numeric dates day first when a first part is above 12 (separator %s)', (_sep, dates) => {
    expect(datesOf(dates)).toEqual(['2000-01-13', '2000-02-01']);
  });

  it('rejects all-ambiguous numeric dates, dotted ones too, and reads them with the dateFormat override', () => {
    for (const dates of [
      ['01/02/2000', '03/04/2000'],
      ['01.02.2000', '03.04.2000'],
    ]) {
      const e = caught(() => datesOf(dates));
      expect(e.location.expected).toBe('numeric dates whose day/month order can be told');
      expect(e.message).toMatch(/dateFormat: 'mdy' \(month first, US\) or 'dmy' \(day first, European\)/);
      expect(e.message).toMatch(/--date-format mdy or --date-format dmy/);
      expect(datesOf(dates, 'mdy')).toEqual(['2000-01-02', '2000-03-04']);
      expect(datesOf(dates, 'dmy')).toEqual(['2000-02-01', '2000-04-03']);
    }
  });

  it('does not need to tell the order when no date is numeric', () => {
    expect(datesOf(['2000-01-02', '2000-02-01'], 'dmy')).toEqual(['2000-01-02', '2000-02-01']);
  });

  it('reports a numeric date that the decided order makes impossible, at its own line', () => {
    const e = caught(() => datesOf(['13/01/2000', '14/01/2000', '31/02/2000']));
    expect(e.location).toMatchObject({ line: 4, column: 1, expected: 'a real calendar date', found: '"31/02/2000"' });
    expect(e.message).toMatch(/February 2000 has 29 days \(line 2 has "13\/01\/2000", so the file is day first\)$/);
  });

  it('reports a date that does not fit the dateFormat override', () => {
    const e = caught(() => datesOf(['01/02/2000', '13/02/2000'], 'mdy'));
    expect(e.location).toMatchObject({ line: 3, column: 1, expected: 'a real calendar date', found: '"13/02/2000"' });
  });

  it('reads repeated date texts once and gives each row its date', () => {
    const m = parseCsvMatrix('date,symbol,price\n02/01/2000,A,1\n13/01/2000,A,2\n02/01/2000,B,3\n');
    expect(m.isoDates()).toEqual(['2000-01-02', '2000-01-13']);
    expect(m.toRows()).toEqual([
      [1, 3],
      [2, Number.NaN],
    ]);
  });
});
