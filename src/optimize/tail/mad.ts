/**
 * Mean absolute deviation as a linear program (Konno & Yamazaki 1991): with the centred portfolio returns
 * y_t = (r_t - rbar)'w, whose sum is 0 for every w, sum_t |y_t| = 2 sum_t max(-y_t, 0), so
 *
 *     MAD(w) = (1 / T) sum_t |y_t| = min (2 / T) sum_t m_t   subject to  m_t >= -y_t,  m_t >= 0,
 *
 * one row m_t + (r_t - rbar)'w >= 0 per scenario (T rows, half the rows of the two-sided form). Per period.
 */

import type { ColumnModel } from './lp.js';
import type { LinearMeasure } from './measure.js';
import { meanAbsoluteDeviation } from './measures.js';

/** The MAD block over column-major scenarios R (T rows). */
export function madMeasure(R: Float64Array, T: number, n: number): LinearMeasure {
  let first = -1;
  const means = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += R[j * T + t] as number;
    means[j] = s / T;
  }
  return {
    name: 'MAD',
    label: 'MAD',
    nonzeros: n * T + 2 * T,
    declareRows(model: ColumnModel): void {
      first = model.addRows(T, 0, Number.POSITIVE_INFINITY);
    },
    weightEntries(model: ColumnModel, j: number): void {
      const base = j * T;
      const m = means[j] as number;
      for (let t = 0; t < T; t++) model.entry(first + t, (R[base + t] as number) - m);
    },
    addAuxiliary(model: ColumnModel, costScale: number, capRow: number): void {
      const c = 2 / T;
      for (let t = 0; t < T; t++) {
        model.addColumn(costScale * c, 0, Number.POSITIVE_INFINITY);
        model.entry(first + t, 1);
        if (capRow >= 0) model.entry(capRow, c);
      }
    },
    value(x: Float64Array): number {
      return meanAbsoluteDeviation(x);
    },
  };
}
