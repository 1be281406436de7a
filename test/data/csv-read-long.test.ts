import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvMatrix, readCsvMatrix } from '../../src/data/csv/index.js';
import { caught } from './csv-helpers.js';

const N = Number.NaN;
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

describe('parseCsvMatrix, long layout', () => {
  it('finds the columns by name in any order, ignores the others and prefers adjusted close (fixture)', () => {
    const m = readCsvMatrix(fixture('long.csv'));
    expect(m.tickers).toEqual(['MSFT', 'AAPL']);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(m.toRows()).toEqual([
      [156.59, 73.84],
      [154.64, 73.12],
      [N, 73.71],
    ]);
  });

  it('reads symbol,date,price with unsorted dates, tickers in order of first appearance', () => {
    const m = parseCsvMatrix('symbol,date,price\nZ,2020-01-03,3\nA,2020-01-03,30\nZ,2020-01-02,2\nB,2020-01-02,200\n');
    expect(m.tickers).toEqual(['Z', 'A', 'B']);
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-03']);
    expect(m.toRows()).toEqual([
      [2, N, 200],
      [3, 30, N],
    ]);
  });

  it.each([
    ['Ticker,Date,Close', 'close'],
    ['ASSET,DATE,VALUE', 'value'],
    ['instrument,timestamp,adj_close', 'adj_close'],
    ['date,name,open,high,low,close,volume', 'close (Kaggle style, name column)'],
  ])('recognises the header %j (%s) case-insensitively', (header) => {
    const names = header.split(',').map((h) => h.toLowerCase());
    const row = (date: string, ticker: string, value: string) =>
      names
        .map((h) => {
          if (['date', 'timestamp'].includes(h)) return date;
          if (['ticker', 'asset', 'instrument', 'name'].includes(h)) return ticker;
          if (['close', 'value', 'adj_close'].includes(h)) return value;
          return '999';
        })
        .join(',');
    const text = `${header}\n${row('2020-01-02', 'X', '1.25')}\n${row('2020-01-03', 'X', '1.5')}\n`;
    const m = parseCsvMatrix(text);
    expect(m.tickers).toEqual(['X']);
    expect(Array.from(m.series('X'))).toEqual([1.25, 1.5]);
  });

  it.each([
    ['date,symbol,price,close,adjclose', 4],
    ['date,symbol,price,Adjusted Close', 3],
    ['date,symbol,value,price', 3],
    ['date,symbol,value,Close Price', 3],
    ['date,symbol,close,value', 2],
  ])('chooses the value column of %j by preference: adjusted close, close, price, value', (header, field) => {
    const cells = ['2020-01-02', 'X', '1', '2', '3', '4'].slice(0, header.split(',').length);
    const m = parseCsvMatrix(`${header}\n${cells.join(',')}\n`);
    expect(m.get(0, 0)).toBe(Number(cells[field]));
  });

  it('takes the value column named by valueColumn (case-insensitive), overriding the preference', () => {
    const text = 'date,symbol,open,close\n2020-01-02,X,1,2\n';
    expect(parseCsvMatrix(text, { valueColumn: 'OPEN' }).get(0, 0)).toBe(1);
    expect(parseCsvMatrix(text).get(0, 0)).toBe(2);
    const vwap = parseCsvMatrix('date,symbol,vwap\n2020-01-02,X,5\n', { valueColumn: 'vwap' });
    expect(vwap.get(0, 0)).toBe(5);
  });

  it('trims tickers, keeps empty values as NaN and reads naValues', () => {
    const m = parseCsvMatrix('date,ticker,price\n2020-01-02, BRK/B ,\n2020-01-03,BRK/B,NA\n2020-01-06,BF.B,4\n', {
      naValues: ['NA'],
    });
    expect(m.tickers).toEqual(['BRK/B', 'BF.B']);
    expect(m.toRows()).toEqual([
      [N, N],
      [N, N],
      [N, 4],
    ]);
  });

  it('reads numeric dates of a long file in the order the file shows', () => {
    const m = parseCsvMatrix('date,symbol,price\n01/02/2020,A,1\n01/31/2020,A,2\n01/02/2020,B,3\n');
    expect(m.isoDates()).toEqual(['2020-01-02', '2020-01-31']);
    expect(m.toRows()).toEqual([
      [1, 3],
      [2, N],
    ]);
  });

  it('is read as long only with a date, a ticker and a value column; layout long is required otherwise', () => {
    expect(parseCsvMatrix('date,symbol,volume\n2020-01-02,1,2\n').tickers).toEqual(['symbol', 'volume']);
    const m = parseCsvMatrix('date,symbol,volume\n2020-01-02,X,2\n', { layout: 'long', valueColumn: 'volume' });
    expect(m.tickers).toEqual(['X']);
  });

  it('reports a missing value column when the layout is forced to long', () => {
    const e = caught(() => parseCsvMatrix('date,symbol,volume\n2020-01-02,X,2\n', { layout: 'long', file: 'l.csv' }));
    expect(e.location).toMatchObject({ file: 'l.csv', line: 1 });
    expect(e.location.column).toBeUndefined();
    expect(e.location.expected).toMatch(/^a value column \(named adj close, close, price or value/);
    expect(e.location.found).toBe('the header "date", "symbol", "volume"');
  });

  it('reports a valueColumn that the header lacks, and one used without date and ticker columns', () => {
    const absent = caught(() => parseCsvMatrix('date,symbol,close\n2020-01-02,X,2\n', { valueColumn: 'vwap' }));
    expect(absent.location).toMatchObject({
      line: 1,
      expected: 'a column named "vwap" (the option valueColumn)',
      found: 'the header "date", "symbol", "close"',
    });
    const wide = caught(() => parseCsvMatrix('date,A,B\n2020-01-02,1,2\n', { valueColumn: 'A' }));
    expect(wide.location.expected).toMatch(/^a ticker column \(named ticker, symbol/);
  });

  it('reports two columns of the same role, naming both', () => {
    const e = caught(() => parseCsvMatrix('date,symbol,ticker,close\n2020-01-02,X,X,1\n', { file: 'two.csv' }));
    expect(e.location).toEqual({
      file: 'two.csv',
      line: 1,
      column: 3,
      columnName: 'ticker',
      expected: 'one ticker column',
      found: '"symbol" (column 2) and "ticker" (column 3)',
    });
    const values = caught(() => parseCsvMatrix('date,symbol,Adj Close,adj_close\n2020-01-02,X,1,1\n'));
    expect(values.location).toMatchObject({ column: 4, expected: 'one value column' });
    expect(values.message).toMatch(/Choose one with the option valueColumn$/);
  });

  it('reports an empty ticker cell', () => {
    const e = caught(() => parseCsvMatrix('date,symbol,price\n2020-01-02,X,1\n2020-01-03,  ,2\n', { file: 'l.csv' }));
    expect(e.location).toEqual({
      file: 'l.csv',
      line: 3,
      column: 2,
      columnName: 'symbol',
      expected: 'a ticker',
      found: '"  "',
    });
  });
});
