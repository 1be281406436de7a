/**
 * Aligning several dated matrices on a common date index.
 */

import { DatedMatrix, type DatedMatrixOptions } from './dated-matrix.js';
import { ValidationError } from './errors.js';

/** `inner` keeps the dates every matrix has; `outer` keeps the dates any matrix has (missing values are NaN). */
export type AlignJoin = 'inner' | 'outer';

/**
 * Puts several matrices side by side on one date index. Tickers are concatenated in order and must be unique across
 * the inputs. An outer join leaves NaN where a matrix has no row for a date; nothing is filled. The result keeps
 * periods per year when every input was given the same value.
 */
export function alignMatrices(matrices: readonly DatedMatrix[], join: AlignJoin = 'inner'): DatedMatrix {
  if (matrices.length === 0) throw new ValidationError('nothing to align: no matrices given');
  const tickers = matrices.flatMap((mx) => mx.tickers);
  const seen = new Set<string>();
  for (const t of tickers) {
    if (seen.has(t)) throw new ValidationError(`cannot align: ticker ${JSON.stringify(t)} appears in two inputs`);
    seen.add(t);
  }
  const dates = join === 'inner' ? intersectDates(matrices) : unionDates(matrices);
  const rows = dates.length;
  const values = new Float64Array(rows * tickers.length).fill(Number.NaN);
  let col = 0;
  for (const mx of matrices) {
    // Walk both sorted date lists together.
    const targetRow = new Int32Array(mx.rowCount).fill(-1);
    let r = 0;
    for (let i = 0; i < mx.rowCount; i++) {
      const d = mx.dates[i] as number;
      while (r < rows && (dates[r] as number) < d) r++;
      if (r < rows && dates[r] === d) targetRow[i] = r;
    }
    for (let j = 0; j < mx.columnCount; j++, col++) {
      const src = mx.column(j);
      const base = col * rows;
      for (let i = 0; i < mx.rowCount; i++) {
        const t = targetRow[i] as number;
        if (t >= 0) values[base + t] = src[i] as number;
      }
    }
  }
  return new DatedMatrix(dates, tickers, values, commonPeriods(matrices));
}

function unionDates(matrices: readonly DatedMatrix[]): Int32Array {
  const all = new Set<number>();
  for (const mx of matrices) for (const d of mx.dates) all.add(d);
  return Int32Array.from(all).sort();
}

function intersectDates(matrices: readonly DatedMatrix[]): Int32Array {
  let common = new Set<number>(matrices[0]?.dates);
  for (const mx of matrices.slice(1)) {
    const next = new Set<number>();
    for (const d of mx.dates) if (common.has(d)) next.add(d);
    common = next;
  }
  return Int32Array.from(common).sort();
}

function commonPeriods(matrices: readonly DatedMatrix[]): DatedMatrixOptions {
  const given = matrices.map((mx) => (mx.hasExplicitPeriodsPerYear ? mx.periodsPerYear : undefined));
  const first = given[0];
  return first !== undefined && given.every((p) => p === first) ? { periodsPerYear: first } : {};
}
