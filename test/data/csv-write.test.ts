import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { epochDay } from '../../src/core/dates.js';
import { DataError } from '../../src/core/errors.js';
import { formatCsvMatrix, parseCsvMatrix, readCsvMatrix, writeCsvMatrix } from '../../src/data/csv/index.js';

const N = Number.NaN;
/** 123456789.123456789 has more digits than a double holds; it is stored as the nearest double, 123456789.12345679. */
const LONG_DECIMAL = Number('123456789.123456789');

function matrix(tickers: readonly string[], rows: readonly (readonly number[])[], firstDay = epochDay(2020, 1, 2)) {
  return DatedMatrix.fromRows(
    rows.map((_, i) => firstDay + i),
    tickers,
    rows,
  );
}

/** True when the two matrices have the same dates, tickers and value bits (NaN included). */
function identical(a: DatedMatrix, b: DatedMatrix): boolean {
  const bytes = (v: Float64Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return (
    a.tickers.join('\u0000') === b.tickers.join('\u0000') &&
    Buffer.compare(Buffer.from(a.dates.buffer), Buffer.from(b.dates.buffer)) === 0 &&
    Buffer.compare(bytes(a.values), bytes(b.values)) === 0
  );
}

describe('formatCsvMatrix', () => {
  it('writes the wide layout: ISO dates, NaN as empty, \\n line ends with a final one', () => {
    const m = matrix(
      ['A', 'B'],
      [
        [1.5, N],
        [N, 2],
      ],
    );
    expect(formatCsvMatrix(m)).toBe('date,A,B\n2020-01-02,1.5,\n2020-01-03,,2\n');
    expect(formatCsvMatrix(m, { dateHeader: 'Date' })).toBe('Date,A,B\n2020-01-02,1.5,\n2020-01-03,,2\n');
  });

  it('writes numbers in the shortest form that reads back exactly, never rounded', () => {
    const values = [0.1 + 0.2, 1e-300, LONG_DECIMAL, 5e-324, 1e21, -1.7976931348623157e308, 100, 1 / 3];
    const m = matrix(
      values.map((_, j) => `T${j}`),
      [values],
    );
    const line = formatCsvMatrix(m).split('\n')[1];
    expect(line).toBe(
      '2020-01-02,0.30000000000000004,1e-300,123456789.12345679,5e-324,1e+21,-1.7976931348623157e+308,100,' +
        '0.3333333333333333',
    );
  });

  it('writes negative zero as -0 so that it reads back as negative zero', () => {
    const m = matrix(['A', 'B'], [[-0, 0]]);
    expect(formatCsvMatrix(m)).toBe('date,A,B\n2020-01-02,-0,0\n');
    const back = parseCsvMatrix(formatCsvMatrix(m));
    expect(Object.is(back.get(0, 0), -0)).toBe(true);
    expect(Object.is(back.get(0, 1), 0)).toBe(true);
  });

  it('quotes a header only when it holds a comma, quote or line break or has surrounding whitespace', () => {
    const tickers = ['BRK/B', 'BF.B', '^GSPC', 'a,b', 'say "x"', 'line\nbreak', 'cr\rx', ' lead', 'trail\t', 'in side'];
    const m = matrix(tickers, [tickers.map((_, j) => j)]);
    expect(formatCsvMatrix(m, { dateHeader: 'when, exactly' }).split('\n')[0]).toBe(
      '"when, exactly",BRK/B,BF.B,^GSPC,"a,b","say ""x""","line',
    );
    const header = formatCsvMatrix(m).slice(0, formatCsvMatrix(m).indexOf('\n2020'));
    expect(header).toBe('date,BRK/B,BF.B,^GSPC,"a,b","say ""x""","line\nbreak","cr\rx"," lead","trail\t",in side');
  });

  it('refuses an infinite value, naming the ticker and date', () => {
    const m = matrix(['A', 'B'], [[1, Number.POSITIVE_INFINITY]]);
    expect(() => formatCsvMatrix(m)).toThrow(DataError);
    expect(() => formatCsvMatrix(m)).toThrow('cannot write Infinity as the value of "B" on 2020-01-02 to CSV');
  });
});

describe('round trip', () => {
  it('reads back the formatted matrix bit for bit, gaps and awkward numbers included', () => {
    const awkward = [0.1 + 0.2, 1e-300, LONG_DECIMAL, 5e-324, -0, 2 ** 53 + 2, -1e-7, 1.7976931348623157e308];
    const rows: number[][] = [];
    for (let i = 0; i < 40; i++) {
      rows.push(awkward.map((x, j) => ((i + j) % 7 === 0 ? N : (x / (1 + i / 3)) * (j % 2 === 0 ? 1 : -1))));
    }
    rows[0] = awkward.map(() => N);
    rows[0][3] = 5e-324;
    const m = matrix(['BRK/B', 'BF.B', '^GSPC', 'a,"b"', 'x y', 'ÆØÅ', 'n\nl', 'Z'], rows, epochDay(1999, 12, 30));
    const back = parseCsvMatrix(formatCsvMatrix(m));
    expect(identical(back, m)).toBe(true);
    expect(Object.is(back.get(1, 4), -0)).toBe(true);
  });

  it('reads back a ticker with surrounding whitespace trimmed, as the reader trims every header', () => {
    const m = matrix([' x '], [[1]]);
    expect(formatCsvMatrix(m)).toBe('date," x "\n2020-01-02,1\n');
    expect(parseCsvMatrix(formatCsvMatrix(m)).tickers).toEqual(['x']);
  });

  it('detects a changed bit (guard for the comparison itself)', () => {
    const m = matrix(['A'], [[0.1 + 0.2]]);
    const other = matrix(['A'], [[0.3]]);
    expect(identical(parseCsvMatrix(formatCsvMatrix(m)), other)).toBe(false);
  });
});

describe('writeCsvMatrix', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfopt-csv-'));
    dirs.push(dir);
    return dir;
  };

  it('writes the formatted text, replaces an existing file and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'prices.csv');
    writeFileSync(path, 'old content');
    const m = matrix(['A', 'B'], [[1, N]]);
    writeCsvMatrix(path, m);
    expect(readFileSync(path, 'utf8')).toBe(formatCsvMatrix(m));
    expect(readdirSync(dir)).toEqual(['prices.csv']);
    expect(identical(readCsvMatrix(path), m)).toBe(true);
    writeCsvMatrix(path, m, { dateHeader: 'Day' });
    expect(readFileSync(path, 'utf8').startsWith('Day,A,B\n')).toBe(true);
  });

  it('fails with a DataError naming the path, leaving no temporary file, when the directory is missing', () => {
    const dir = tempDir();
    const path = join(dir, 'missing', 'prices.csv');
    expect(() => writeCsvMatrix(path, matrix(['A'], [[1]]))).toThrow(DataError);
    expect(() => writeCsvMatrix(path, matrix(['A'], [[1]]))).toThrow(`cannot write the CSV file ${path}: `);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails without touching the old file or leaving a temporary one when the target cannot be replaced', () => {
    const dir = tempDir();
    const path = join(dir, 'a-directory');
    mkdtempSync(`${path}`);
    const target = readdirSync(dir)[0] as string;
    expect(() => writeCsvMatrix(join(dir, target), matrix(['A'], [[1]]))).toThrow(DataError);
    expect(readdirSync(dir)).toEqual([target]);
  });

  it('writes nothing for a matrix with an infinite value', () => {
    const dir = tempDir();
    const path = join(dir, 'prices.csv');
    expect(() => writeCsvMatrix(path, matrix(['A'], [[Number.NEGATIVE_INFINITY]]))).toThrow(DataError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
