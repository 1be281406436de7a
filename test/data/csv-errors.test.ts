import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, type CsvLocation, DataError } from '../../src/core/errors.js';
import { parseCsvMatrix, readCsvMatrix } from '../../src/data/csv/index.js';

const DATE_FORMS = 'a date (YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY or Jan 2 2000)';

/** Parses `text` as bad.csv and returns the CsvFormatError it must raise, checking its whole location. */
function expectCsvError(text: string, location: Omit<CsvLocation, 'file'>, options = {}): CsvFormatError {
  let error: unknown;
  try {
    parseCsvMatrix(text, { file: 'bad.csv', ...options });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CsvFormatError);
  const e = error as CsvFormatError;
  expect(e.location).toEqual({ file: 'bad.csv', ...location });
  expect(e.message).toContain(`expected ${location.expected}, found ${location.found}`);
  expect(e.message.startsWith(`bad.csv, line ${location.line}`)).toBe(true);
  return e;
}

describe('malformed CSV is a CsvFormatError naming file, line, column, expected and found', () => {
  it('1. a value cell that is not a number', () => {
    const e = expectCsvError('date,A,B\n2020-01-02,1,2\n2020-01-03,1,abc\n', {
      line: 3,
      column: 3,
      columnName: 'B',
      expected: 'a number',
      found: '"abc"',
    });
    expect(e.message).toBe(
      'bad.csv, line 3, column 3 ("B"): expected a number, found "abc". Leave the cell empty when there is no value, ' +
        'or list the texts that mean "no value" in the option naValues (--na on the command line; none are set)',
    );
    const withNa = expectCsvError(
      'date,A\n2020-01-02,n/a\n',
      { line: 2, column: 2, columnName: 'A', expected: 'a number', found: '"n/a"' },
      { naValues: ['NA', '.'] },
    );
    expect(withNa.message).toMatch(/now "NA", "\."\)$/);
  });

  it('2. a row with more fields than the header', () => {
    const e = expectCsvError('date,A\n2020-01-02,1\n2020-01-03,1,2\n', {
      line: 3,
      expected: '2 fields as in the header',
      found: '3 fields',
    });
    expect(e.message).toMatch(/A cell holding the delimiter must be quoted$/);
  });

  it('3. a row with fewer fields than the header', () => {
    expectCsvError('date,A,B\n2020-01-02,1,2\n2020-01-03,1\n', {
      line: 3,
      expected: '3 fields as in the header',
      found: '2 fields',
    });
    expectCsvError('date,A,B\n2020-01-02\n', { line: 2, expected: '3 fields as in the header', found: '1 field' });
  });

  it('4. an unclosed quote, located at its opening quote', () => {
    expectCsvError('date,A,B\n2020-01-02,1,2\n2020-01-03,"1,2\n2020-01-06,1,2\n', {
      line: 3,
      column: 2,
      columnName: 'A',
      expected: 'a closing quote for the quote that opens this field',
      found: 'the end of the file',
    });
  });

  it('5. text after a closing quote, located at the closing quote', () => {
    expectCsvError('date,A,B\n2020-01-02,1,2\n2020-01-03,"1\n2"x,2\n', {
      line: 4,
      column: 2,
      columnName: 'A',
      expected: 'a delimiter or the end of the line after a closing quote',
      found: '"x"',
    });
  });

  it('6. a quote inside an unquoted field', () => {
    expectCsvError('date,A,B\n2020-01-02,1,2\n2020-01-03,1,2"5\n', {
      line: 3,
      column: 3,
      columnName: 'B',
      expected: 'no quote inside an unquoted field',
      found: 'a quote after "2"',
    });
  });

  it('7. a date in no accepted form, and an empty date cell', () => {
    expectCsvError('date,A\n2020-01-02,1\nnot a date,2\n', {
      line: 3,
      column: 1,
      columnName: 'date',
      expected: DATE_FORMS,
      found: '"not a date"',
    });
    expectCsvError('Date,A\n2020-01-02,1\n,2\n', {
      line: 3,
      column: 1,
      columnName: 'Date',
      expected: 'a date',
      found: 'an empty cell',
    });
  });

  it('8. an impossible calendar date', () => {
    const e = expectCsvError('date,A\n2021-02-27,1\n2021-02-30,2\n', {
      line: 3,
      column: 1,
      columnName: 'date',
      expected: 'a real calendar date',
      found: '"2021-02-30"',
    });
    expect(e.message).toMatch(/February 2021 has 28 days$/);
  });

  it('9. a two-digit year', () => {
    const e = expectCsvError('date,A\n1-Jan-00,1\n', {
      line: 2,
      column: 1,
      columnName: 'date',
      expected: 'a four-digit year',
      found: '"1-Jan-00"',
    });
    expect(e.message).toMatch(/A two-digit year \(00\) could be 1900 or 2000; write the year in full$/);
  });

  it('10. numeric dates whose day/month order cannot be told', () => {
    const e = expectCsvError('date,A\n2000-01-01,0\n01/02/2000,1\n03/04/2000,2\n', {
      line: 3,
      column: 1,
      columnName: 'date',
      expected: 'numeric dates whose day/month order can be told',
      found: '"01/02/2000" and no numeric date with a day above 12',
    });
    expect(e.message).toMatch(
      /pass the option dateFormat: 'mdy' .* or 'dmy' .*--date-format mdy or --date-format dmy$/i,
    );
  });

  it('11. numeric dates in both orders, naming a line of each', () => {
    expectCsvError('date,A\n01/02/2000,1\n01/13/2000,2\n01/01/2000,0\n13/01/2000,3\n', {
      line: 5,
      column: 1,
      columnName: 'date',
      expected: 'one day/month order for all numeric dates',
      found: '"13/01/2000" (day first) on line 5 and "01/13/2000" (month first) on line 3',
    });
  });

  it('12. a date on two rows of a wide table, naming both lines', () => {
    expectCsvError('date,A\n2020-01-03,1\n2020-01-02,2\n2020-01-03,3\n', {
      line: 4,
      column: 1,
      columnName: 'date',
      expected: 'each date on one row only',
      found: '2020-01-03 again (it is also on line 2)',
    });
    expectCsvError('date,A\nJan 3 2020,1\n2020-01-03,2\n', {
      line: 3,
      column: 1,
      columnName: 'date',
      expected: 'each date on one row only',
      found: '2020-01-03 again (it is also on line 2)',
    });
  });

  it('13. a date and ticker on two rows of a long table, naming both lines', () => {
    expectCsvError('date,symbol,close\n2020-01-02,A,1\n2020-01-02,B,2\n2020-01-03,A,3\n2020-01-02,A,\n', {
      line: 5,
      expected: 'one row per date and ticker',
      found: 'a second row for "A" on 2020-01-02 (the first is on line 2)',
    });
  });

  it('14. a ticker header used twice (after trimming)', () => {
    expectCsvError('date,A,B, A \n2020-01-02,1,2,3\n', {
      line: 1,
      column: 4,
      columnName: ' A ',
      expected: 'a ticker not used by another column',
      found: '"A", already the header of column 2',
    });
  });

  it('15. an empty ticker header', () => {
    expectCsvError('date,A,  ,B\n2020-01-02,1,2,3\n', {
      line: 1,
      column: 3,
      columnName: '  ',
      expected: 'a ticker name',
      found: 'an empty header',
    });
  });

  it.each([
    ['Infinity', 'a number'],
    ['-Infinity', 'a number'],
    ['NaN', 'a number'],
    ['0x10', 'a number'],
    ['1e400', 'a finite number'],
    ['$12', 'a number'],
    ['1 000', 'a number'],
  ])('16. a value that JavaScript might read but a price file must not: %j', (cell, expected) => {
    expectCsvError(`date,A\n2020-01-02,${cell}\n`, {
      line: 2,
      column: 2,
      columnName: 'A',
      expected,
      found: JSON.stringify(cell),
    });
  });

  it('17. a thousands separator, and a decimal comma in a semicolon file', () => {
    const e = expectCsvError('date,A\n2020-01-02,"1,234.5"\n', {
      line: 2,
      column: 2,
      columnName: 'A',
      expected: 'a number',
      found: '"1,234.5"',
    });
    expect(e.message).toMatch(/Write numbers without thousands separators/);
    const comma = expectCsvError('date;A\n2020-01-02;1,5\n', {
      line: 2,
      column: 2,
      columnName: 'A',
      expected: 'a number',
      found: '"1,5"',
    });
    expect(comma.message).toMatch(/Write decimals with a point/);
  });

  it('18. physical lines are counted through quoted fields holding line breaks, LF or CRLF', () => {
    const rows = ['date,"Fund', 'A",B', '2020-01-02,"', '",2', '2020-01-03,1,x', ''];
    for (const eol of ['\n', '\r\n']) {
      expectCsvError(rows.join(eol), { line: 5, column: 3, columnName: 'B', expected: 'a number', found: '"x"' });
    }
    expectCsvError('date,A,B\r\n2020-01-02,"\r\n\r\n",x\r\n', {
      line: 4,
      column: 3,
      columnName: 'B',
      expected: 'a number',
      found: '"x"',
    });
  });

  it('19. an error on line 3 of a CRLF file (fixture)', () => {
    const path = fileURLToPath(new URL('../fixtures/csv/bad-crlf.csv', import.meta.url));
    let error: unknown;
    try {
      readCsvMatrix(path, { file: 'bad-crlf.csv' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as CsvFormatError).location).toEqual({
      file: 'bad-crlf.csv',
      line: 3,
      column: 3,
      columnName: 'B',
      expected: 'a number',
      found: '"n/a"',
    });
  });

  it('20. blank lines before an error still count', () => {
    expectCsvError('\n\ndate,A\n\n2020-01-02,1\n\r\n\n2020-01-03,?\n', {
      line: 8,
      column: 2,
      columnName: 'A',
      expected: 'a number',
      found: '"?"',
    });
    expectCsvError('date,A\n2020-01-02,1\n\n\n2020-01-03,?\n', {
      line: 5,
      column: 2,
      columnName: 'A',
      expected: 'a number',
      found: '"?"',
    });
    expectCsvError('date,A\n\n\n2020-01-02,1\n\n\n2020-01-02,2\n', {
      line: 7,
      column: 1,
      columnName: 'date',
      expected: 'each date on one row only',
      found: '2020-01-02 again (it is also on line 4)',
    });
  });

  it('21. an empty file, a header without data rows, a header without tickers', () => {
    for (const text of ['', '\n\n', '\uFEFF']) {
      expectCsvError(text, { line: 1, expected: 'a header line', found: 'an empty file' });
    }
    const e = expectCsvError('date,A,B\n', { line: 2, expected: 'data rows after the header', found: 'no data rows' });
    expect(e.message).toMatch(/no data rows/);
    expectCsvError('date\n2020-01-02\n', {
      line: 1,
      expected: 'a date column followed by at least one ticker column',
      found: '1 column (the header "date")',
    });
  });

  it('22. a long table with an empty ticker cell', () => {
    expectCsvError('symbol,date,price\nA,2020-01-02,1\n,2020-01-03,2\n', {
      line: 3,
      column: 1,
      columnName: 'symbol',
      expected: 'a ticker',
      found: 'an empty cell',
    });
  });

  it('cuts a very long cell in the message', () => {
    const long = 'x'.repeat(500);
    const e = expectCsvError(`date,A\n2020-01-02,${long}\n`, {
      line: 2,
      column: 2,
      columnName: 'A',
      expected: 'a number',
      found: `"${'x'.repeat(60)}"...`,
    });
    expect(e.message.length).toBeLessThan(400);
  });

  it('a table without any value is a DataError, not a CsvFormatError', () => {
    let error: unknown;
    try {
      parseCsvMatrix('date,A,B\n2020-01-02,,NA\n2020-01-03,,\n', { file: 'bad.csv', naValues: ['NA'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect(error).not.toBeInstanceOf(CsvFormatError);
    expect((error as DataError).message).toBe(
      'bad.csv: no cell holds a value; every value cell of the 2 ticker column(s) is empty or marks a missing value',
    );
  });
});
