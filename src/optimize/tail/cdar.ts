/**
 * Conditional drawdown at risk as a linear program (Chekhlov, Uryasev & Zabarankin 2005, in PyPortfolioOpt's
 * EfficientCDaR form): with the portfolio returns r_t'w, the drawdown of the cumulative uncompounded return obeys
 * D_t = max(D_{t-1} - r_t'w, 0), D_0 = 0, and with k = T (1 - beta)
 *
 *     CDaR_beta(w) = min  a + (1 / k) sum_t z_t   subject to  u_t >= u_{t-1} - r_t'w,  u_t >= 0,  u_0 = 0,
 *                                                              z_t >= u_t - a,  z_t >= 0,
 *
 * (u_t >= D_t for every feasible u; the minimum is reached at u = D). The block has 2T rows
 * u_t - u_{t-1} + r_t'w >= 0 and z_t - u_t + a >= 0, and the columns a (free, the DaR at the optimum), u_1..u_T and
 * z_1..z_T. Per period, as a fraction of capital.
 */

import { percent } from './cvar.js';
import type { ColumnModel } from './lp.js';
import type { LinearMeasure } from './measure.js';
import { drawdowns, tailCount, tailOfLosses } from './measures.js';

/** The CDaR block over column-major scenarios R (T rows) at confidence beta. */
export function cdarMeasure(R: Float64Array, T: number, n: number, confidence: number): LinearMeasure {
  const k = tailCount(T, confidence);
  let drawdownRows = -1;
  let tailRows = -1;
  return {
    name: 'CDaR',
    label: `CDaR at ${percent(confidence)}`,
    nonzeros: n * T + 6 * T + T,
    declareRows(model: ColumnModel): void {
      drawdownRows = model.addRows(T, 0, Number.POSITIVE_INFINITY);
      tailRows = model.addRows(T, 0, Number.POSITIVE_INFINITY);
    },
    weightEntries(model: ColumnModel, j: number): void {
      const base = j * T;
      for (let t = 0; t < T; t++) model.entry(drawdownRows + t, R[base + t] as number);
    },
    addAuxiliary(model: ColumnModel, costScale: number, capRow: number): void {
      model.addColumn(costScale, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
      for (let t = 0; t < T; t++) model.entry(tailRows + t, 1);
      if (capRow >= 0) model.entry(capRow, 1);
      for (let t = 0; t < T; t++) {
        model.addColumn(0, 0, Number.POSITIVE_INFINITY);
        model.entry(drawdownRows + t, 1);
        if (t + 1 < T) model.entry(drawdownRows + t + 1, -1);
        model.entry(tailRows + t, -1);
      }
      const c = 1 / k;
      for (let t = 0; t < T; t++) {
        model.addColumn(costScale * c, 0, Number.POSITIVE_INFINITY);
        model.entry(tailRows + t, 1);
        if (capRow >= 0) model.entry(capRow, c);
      }
    },
    value(x: Float64Array): number {
      return tailOfLosses(drawdowns(x), confidence).cvar;
    },
  };
}
