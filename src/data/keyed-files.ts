/**
 * Small keyed input files: portfolio weights, lot sizes, risk budgets, market capitalisations, ticker-to-sector maps
 * and sector bounds. Each is accepted as CSV (a header naming the columns) or JSON, chosen by the file extension.
 * Every problem is a DataError naming the file and, for CSV, the line.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DataError } from '../core/errors.js';

/** Ticker to portfolio weight (fractions of the portfolio value; 0.25 is 25%). */
export type WeightMap = Readonly<Record<string, number>>;

/** Ticker to sector name. */
export type SectorMap = Readonly<Record<string, string>>;

/** Sector to the minimum and maximum total weight of its assets (fractions; either may be absent). */
export type SectorBounds = Readonly<Record<string, { readonly min?: number; readonly max?: number }>>;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new DataError(`cannot read the ${what} file ${path}: ${reason}`, { cause: error });
  }
}

function isJson(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Rows of a CSV file as records keyed by lower-cased, trimmed header, each with its 1-based physical line. */
function csvRows(text: string, path: string): { header: string[]; rows: { line: number; cells: string[] }[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` csv-parse yields { record, info } per row; its typings do not express that.
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new DataError(`${path}: ${(error as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new DataError(`${path} is empty; it needs a header line`);
  const header = head.record.map((h) => h.toLowerCase());
  const rows = body.map((r) => {
    if (r.record.length !== header.length) {
      throw new DataError(
        `${path}, line ${r.info.lines}: expected ${header.length} fields as in the header, found ${r.record.length}`,
      );
    }
    return { line: r.info.lines, cells: r.record };
  });
  return { header, rows };
}

function columnIndex(header: string[], names: readonly string[], path: string, what: string): number {
  const j = header.findIndex((h) => names.includes(h));
  if (j < 0) {
    throw new DataError(
      `${path}: no ${what} column; name one of ${names.join(', ')} in the header (found ${header.join(', ')})`,
    );
  }
  return j;
}

function optionalColumn(header: string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(h));
}

function numberCell(text: string, path: string, line: number, column: string): number {
  const x = Number(text);
  if (text === '' || !Number.isFinite(x)) {
    throw new DataError(`${path}, line ${line}, column "${column}": expected a number, found ${JSON.stringify(text)}`);
  }
  return x;
}

function putOnce<T>(out: Record<string, T>, key: string, value: T, path: string, line?: number): void {
  if (key === '') throw new DataError(`${path}${line ? `, line ${line}` : ''}: a ticker or sector name is empty`);
  if (Object.hasOwn(out, key)) {
    throw new DataError(`${path}${line ? `, line ${line}` : ''}: ${JSON.stringify(key)} appears twice`);
  }
  out[key] = value;
}

const TICKER = ['ticker', 'symbol', 'asset'] as const;

/**
 * Reads portfolio weights: CSV with a ticker column (ticker, symbol or asset) and a weight column (weight), or JSON
 * as a ticker-to-weight object or an object with a `weights` member (the output of `pfopt optimize --json`).
 * Weights are taken as written (fractions); checking that they sum to 1 is the caller's choice.
 */
export function readWeights(path: string): WeightMap {
  return readTickerNumbers(path, 'weights', ['weight', 'weights'], 'weights');
}

/** Reads lot sizes (shares per lot) by ticker: CSV with ticker and lot (or lot_size) columns, or a JSON object. */
export function readLotSizes(path: string): WeightMap {
  return readTickerNumbers(path, 'lot sizes', ['lot', 'lots', 'lot_size', 'lotsize', 'lot size'], 'lots');
}

/** Reads risk budgets by ticker (positive numbers, normalised by the allocator): CSV with ticker and budget columns, or JSON. */
export function readRiskBudgets(path: string): WeightMap {
  return readTickerNumbers(path, 'risk budgets', ['budget', 'budgets', 'risk_budget', 'risk budget'], 'budgets');
}

/**
 * Reads market capitalisations by ticker (any one currency; only their ratios matter): CSV with a ticker column and a
 * market_cap (or marketcap, market cap, cap, value) column, or JSON as a ticker-to-number object or an object with a
 * `marketCaps` member. Signs and totals are the caller's to check.
 */
export function readMarketCaps(path: string): WeightMap {
  return readTickerNumbers(
    path,
    'market caps',
    ['market_cap', 'marketcap', 'market cap', 'cap', 'market_value', 'value'],
    'marketCaps',
  );
}

/**
 * Reads one number per ticker from CSV (a ticker column and one of `valueColumns`) or JSON (a ticker-to-number
 * object, or an object whose `jsonMember` holds one). DataError naming the file, line and column of any bad cell.
 */
function readTickerNumbers(path: string, what: string, valueColumns: readonly string[], jsonMember: string): WeightMap {
  const text = readText(path, what);
  const out: Record<string, number> = {};
  if (isJson(path)) {
    const raw = parseJson(text, path);
    const inner =
      typeof raw === 'object' && raw !== null && jsonMember in raw ? (raw as Record<string, unknown>)[jsonMember] : raw;
    const parsed = z.record(z.string(), z.number()).safeParse(inner);
    if (!parsed.success) {
      throw new DataError(`${path}: expected {"TICKER": number, ...} or {"${jsonMember}": {"TICKER": number, ...}}`);
    }
    for (const [t, x] of Object.entries(parsed.data)) {
      if (!Number.isFinite(x)) throw new DataError(`${path}: the value of ${JSON.stringify(t)} is not a finite number`);
      putOnce(out, t, x, path);
    }
    return out;
  }
  const { header, rows } = csvRows(text, path);
  const t = columnIndex(header, TICKER, path, 'ticker');
  const v = columnIndex(header, valueColumns, path, valueColumns[0] as string);
  for (const { line, cells } of rows) {
    putOnce(out, cells[t] as string, numberCell(cells[v] as string, path, line, header[v] as string), path, line);
  }
  return out;
}

/** Reads a ticker-to-sector map: CSV with ticker and sector columns (as `pfopt data synth --sectors-out` writes), or a JSON object. */
export function readSectorMap(path: string): SectorMap {
  const text = readText(path, 'sectors');
  const out: Record<string, string> = {};
  if (isJson(path)) {
    const parsed = z.record(z.string(), z.string()).safeParse(parseJson(text, path));
    if (!parsed.success) throw new DataError(`${path}: expected {"TICKER": "sector name", ...}`);
    for (const [t, s] of Object.entries(parsed.data)) putOnce(out, t, s, path);
    return out;
  }
  const { header, rows } = csvRows(text, path);
  const t = columnIndex(header, TICKER, path, 'ticker');
  const s = columnIndex(header, ['sector', 'group', 'industry'], path, 'sector');
  for (const { line, cells } of rows) {
    if (cells[s] === '')
      throw new DataError(`${path}, line ${line}: the sector of ${JSON.stringify(cells[t])} is empty`);
    putOnce(out, cells[t] as string, cells[s] as string, path, line);
  }
  return out;
}

const boundPair = z.union([
  z.strictObject({ min: z.number().optional(), max: z.number().optional() }),
  z.tuple([z.number().nullable(), z.number().nullable()]),
]);

/**
 * Reads sector bounds: CSV with sector, min and max columns (an empty cell means no bound on that side), or JSON
 * `{"Tech": {"min": 0.1, "max": 0.3}}` or `{"Tech": [0.1, 0.3]}` (null for no bound). Bounds are fractions of the
 * portfolio; DataError when min > max.
 */
export function readSectorBounds(path: string): SectorBounds {
  const text = readText(path, 'sector bounds');
  const out: Record<string, { min?: number; max?: number }> = {};
  const add = (sector: string, min: number | undefined, max: number | undefined, line?: number) => {
    if (min !== undefined && max !== undefined && min > max) {
      throw new DataError(
        `${path}${line ? `, line ${line}` : ''}: sector ${JSON.stringify(sector)} has min ${min} above max ${max}`,
      );
    }
    putOnce(out, sector, { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }, path, line);
  };
  if (isJson(path)) {
    const parsed = z.record(z.string(), boundPair).safeParse(parseJson(text, path));
    if (!parsed.success) {
      throw new DataError(`${path}: expected {"SECTOR": {"min": x, "max": y}, ...} or {"SECTOR": [min, max], ...}`);
    }
    for (const [sector, b] of Object.entries(parsed.data)) {
      if (Array.isArray(b)) add(sector, b[0] ?? undefined, b[1] ?? undefined);
      else add(sector, b.min, b.max);
    }
    return out;
  }
  const { header, rows } = csvRows(text, path);
  const s = columnIndex(header, ['sector', 'group', 'industry'], path, 'sector');
  const lo = optionalColumn(header, ['min', 'lower', 'lo']);
  const hi = optionalColumn(header, ['max', 'upper', 'hi']);
  if (lo < 0 && hi < 0)
    throw new DataError(`${path}: name a min or max column in the header (found ${header.join(', ')})`);
  for (const { line, cells } of rows) {
    const min =
      lo < 0 || cells[lo] === '' ? undefined : numberCell(cells[lo] as string, path, line, header[lo] as string);
    const max =
      hi < 0 || cells[hi] === '' ? undefined : numberCell(cells[hi] as string, path, line, header[hi] as string);
    add(cells[s] as string, min, max, line);
  }
  return out;
}
