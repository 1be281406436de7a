/**
 * Conditional value at risk as a linear program (Rockafellar & Uryasev 2000): with losses L_t = -r_t'w over T equally
 * likely scenarios and k = T (1 - beta) tail scenarios,
 *
 *     CVaR_beta(w) = min_{a, u}  a + (1 / k) sum_t u_t   subject to  u_t >= -r_t'w - a,  u_t >= 0,
 *
 * so the block has T rows r_t'w + a + u_t >= 0 and the columns a (free, the VaR at the optimum) and u_1..u_T.
 * Per period, as a fraction of capital (a loss positive).
 */

import type { ColumnModel } from './lp.js';
import type { LinearMeasure } from './measure.js';
import { tailCount, tailOfLosses } from './measures.js';

/** The CVaR block over column-major scenarios R (T rows) at confidence beta. */
export function cvarMeasure(R: Float64Array, T: number, n: number, confidence: number): LinearMeasure {
  const k = tailCount(T, confidence);
  let first = -1;
  return {
    name: 'CVaR',
    label: `CVaR at ${percent(confidence)}`,
    nonzeros: n * T + 2 * T + T,
    declareRows(model: ColumnModel): void {
      first = model.addRows(T, 0, Number.POSITIVE_INFINITY);
    },
    weightEntries(model: ColumnModel, j: number): void {
      const base = j * T;
      for (let t = 0; t < T; t++) model.entry(first + t, R[base + t] as number);
    },
    addAuxiliary(model: ColumnModel, costScale: number, capRow: number): void {
      model.addColumn(costScale, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
      for (let t = 0; t < T; t++) model.entry(first + t, 1);
      if (capRow >= 0) model.entry(capRow, 1);
      const c = 1 / k;
      for (let t = 0; t < T; t++) {
        model.addColumn(costScale * c, 0, Number.POSITIVE_INFINITY);
        model.entry(first + t, 1);
        if (capRow >= 0) model.entry(capRow, c);
      }
    },
    value(x: Float64Array): number {
      return tailOfLosses(
        Float64Array.from(x, (v) => -v),
        confidence,
      ).cvar;
    },
  };
}

/** 0.95 -> "95%". */
export function percent(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(10))}%`;
}
