import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { parseCsvMatrix, readCsvMatrix } from '../../src/data/csv/index.js';

const N = Number.NaN;
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

describe('parseCsvMatrix, wide layout', () => {
  it('reads dates, tickers verbatim and values, sorting rows by date (fixture)', () => {
    const m = readCsvMatrix(fixture('wide.csv'));
    expect(m.tickers).toEqual(['AAPL', 'BRK/B', 'BF.B', '^GSPC']);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(m.toRows()).toEqual([
      [75.09, 228.39, N, 3257.85],
      [74.36, 226.18, 48.5, 3234.85],
      [74.95, 228.12, N, 3246.28],
    ]);
    expect(m.series('BF.B')[1]).toBe(48.5);
  });

  it.each([['Date'], ['DATE'], ['timestamp'], [''], ['Datum'], ['"when, exactly"']])(
    'takes the first column as the dates whatever its header: %j',
    (first) => {
      const m = parseCsvMatrix(`${first},A,B\n2020-01-02,1,2\n2020-01-03,3,4\n`);
      expect(m.tickers).toEqual(['A', 'B']);
      expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03']);
      expect(m.toRows()).toEqual([
        [1, 2],
        [3, 4],
      ]);
    },
  );

  it('trims only the whitespace around ticker headers', () => {
    const m = parseCsvMatrix('date, BRK/B ,"  BF.B",\t^GSPC\t,"a b"\n2020-01-02,1,2,3,4\n');
    expect(m.tickers).toEqual(['BRK/B', 'BF.B', '^GSPC', 'a b']);
  });

  it('sorts rows given in any order and keeps each row with its date', () => {
    const m = parseCsvMatrix('date,A,B\n2020-01-07,7,70\n2020-01-02,2,\n2020-01-06,6,60\n2020-01-03,3,30\n');
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07']);
    expect(Array.from(m.series('A'))).toEqual([2, 3, 6, 7]);
    expect(Array.from(m.series('B'))).toEqual([N, 30, 60, 70]);
  });

  it('reads empty and blank cells as NaN and keeps leading and inner gaps', () => {
    const m = parseCsvMatrix('date,A,B,C\n2020-01-02,,1,\n2020-01-03,  ,2,\n2020-01-06,5,,\n2020-01-07,6,4,9\n');
    expect(Array.from(m.series('A'))).toEqual([N, N, 5, 6]);
    expect(Array.from(m.series('B'))).toEqual([1, 2, N, 4]);
    expect(Array.from(m.series('C'))).toEqual([N, N, N, 9]);
    expect(m.firstValidRow(0)).toBe(2);
    expect(m.firstValidRow(2)).toBe(3);
  });

  it('keeps a ticker column without any value, as all NaN', () => {
    const m = parseCsvMatrix('date,A,EMPTY\n2020-01-02,1,\n2020-01-03,2,\n');
    expect(m.tickers).toEqual(['A', 'EMPTY']);
    expect(m.firstValidRow(1)).toBe(-1);
  });

  it('treats the naValues texts (trimmed, case-sensitive) as missing', () => {
    const text = 'date,A,B\n2020-01-02,NA,null\n2020-01-03, . ,-999\n2020-01-06,1,2\n';
    const m = parseCsvMatrix(text, { naValues: ['NA', 'null', '.', '-999'] });
    expect(m.toRows()).toEqual([
      [N, N],
      [N, N],
      [1, 2],
    ]);
    expect(() => parseCsvMatrix(text, { naValues: ['na', 'null', '.', '-999'] })).toThrow(/found "NA"/);
  });

  it('reads the number forms it accepts exactly as Number() does', () => {
    const cells = ['+1.5', '-2', '1.5e3', '1E-2', '.5', '7.', '007', ' 3.25 ', '-0', '1e+21', '5e-324'];
    const m = parseCsvMatrix(`date,${cells.map((_, j) => `T${j}`).join(',')}\n2020-01-02,${cells.join(',')}\n`);
    const row = m.toRows()[0] as number[];
    expect(row).toEqual([1.5, -2, 1500, 0.01, 0.5, 7, 7, 3.25, -0, 1e21, 5e-324]);
    expect(Object.is(row[8], -0)).toBe(true);
  });

  it('skips completely empty lines, trailing ones included, and whitespace-only lines', () => {
    const m = parseCsvMatrix('date,A\n\n2020-01-02,1\n\n\n2020-01-03,2\n   \n\n');
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03']);
  });

  it('reads a BOM, CRLF line ends and quoted headers with commas and doubled quotes (fixture)', () => {
    const bytes = readFileSync(fixture('bom-crlf.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('latin1')).toContain('\r\n');
    const m = readCsvMatrix(fixture('bom-crlf.csv'));
    expect(m.tickers).toEqual(['Fund, Class A', 'Say "Hi"']);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03']);
    expect(m.toRows()).toEqual([
      [1.5, 2],
      [N, 2.25],
    ]);
  });

  it('reads quoted value cells, and quoted cells holding line breaks in the header', () => {
    const m = parseCsvMatrix('date,"A\r\nB","C"\r\n"2020-01-02","1.5",""\r\n');
    expect(m.tickers).toEqual(['A\r\nB', 'C']);
    expect(m.toRows()).toEqual([[1.5, N]]);
  });

  it('detects a semicolon or tab delimiter when the header has no comma (fixture: semicolon, DD.MM.YYYY)', () => {
    const m = readCsvMatrix(fixture('semicolon-dmy.csv'));
    expect(m.tickers).toEqual(['DAX', 'SAP']);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03', '2020-01-31']);
    expect(Array.from(m.series('SAP'))).toEqual([N, 120.5, 117.2]);
    const tabs = parseCsvMatrix('date\tA\tB\n2020-01-02\t1\t2\n');
    expect(tabs.tickers).toEqual(['A', 'B']);
    expect(tabs.toRows()).toEqual([[1, 2]]);
  });

  it('uses the delimiter option over detection', () => {
    const m = parseCsvMatrix('date|A;1|B\n2020-01-02|1|2\n', { delimiter: '|' });
    expect(m.tickers).toEqual(['A;1', 'B']);
    expect(() => parseCsvMatrix('date,A\n2020-01-02,1\n', { delimiter: ';' })).toThrow(/at least one ticker column/);
  });

  it('forces the wide layout even when the header looks long', () => {
    const text = 'date,symbol,price\n2020-01-02,1,2\n';
    expect(parseCsvMatrix(text, { layout: 'wide' }).tickers).toEqual(['symbol', 'price']);
    expect(parseCsvMatrix('date,price\n2020-01-02,1\n').tickers).toEqual(['price']);
  });

  it('sets periods per year when given, and infers it otherwise', () => {
    const text = 'date,A\n2020-01-31,1\n2020-02-29,2\n2020-03-31,3\n';
    expect(parseCsvMatrix(text).periodsPerYear).toBe(12);
    const m = parseCsvMatrix(text, { periodsPerYear: 4 });
    expect(m.periodsPerYear).toBe(4);
    expect(m.hasExplicitPeriodsPerYear).toBe(true);
    expect(() => parseCsvMatrix(text, { periodsPerYear: 0 })).toThrow(ValidationError);
  });

  it('accepts UTF-8 bytes as well as a string, with non-ASCII tickers', () => {
    const text = 'date,Nestlé,Ørsted\n2020-01-02,1,2\n';
    const m = parseCsvMatrix(Buffer.from(text, 'utf8'));
    expect(m.tickers).toEqual(['Nestlé', 'Ørsted']);
    expect(parseCsvMatrix(text).toRows()).toEqual(m.toRows());
    const plain = new TextEncoder().encode(`\uFEFF${text}`);
    expect(parseCsvMatrix(plain).tickers).toEqual(['Nestlé', 'Ørsted']);
  });

  it('rejects bad options with ValidationError before reading', () => {
    const text = 'date,A\n2020-01-02,1\n';
    expect(() => parseCsvMatrix(text, { layout: 'tall' as 'wide' })).toThrow(ValidationError);
    expect(() => parseCsvMatrix(text, { dateFormat: 'ymd' as 'iso' })).toThrow(/auto, iso, mdy or dmy/);
    expect(() => parseCsvMatrix(text, { delimiter: ';;' })).toThrow(/one ASCII character/);
    expect(() => parseCsvMatrix(text, { delimiter: '"' })).toThrow(ValidationError);
    expect(() => parseCsvMatrix(text, { layout: 'wide', valueColumn: 'close' })).toThrow(/long layout only/);
  });

  it('names a missing or unreadable file in a DataError', () => {
    const missing = fixture('no-such-file.csv');
    expect(() => readCsvMatrix(missing)).toThrow(DataError);
    expect(() => readCsvMatrix(missing)).toThrow(`cannot read the CSV file ${missing}: there is no such file`);
    expect(() => readCsvMatrix(fixture(''))).toThrow(/it is a directory/);
  });

  it('names the file by the file option, defaulting to the path', () => {
    expect(() => readCsvMatrix(fixture('bad-crlf.csv'))).toThrow(`${fixture('bad-crlf.csv')}, line 3, column 3`);
    expect(() => readCsvMatrix(fixture('bad-crlf.csv'), { file: 'prices.csv' })).toThrow(/^prices\.csv, line 3/);
    expect(() => parseCsvMatrix('date,A\n2020-01-02,x\n')).toThrow(/^<csv>, line 2, column 2/);
  });
});
