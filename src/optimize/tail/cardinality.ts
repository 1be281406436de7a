/**
 * Cardinality limits by mixed-integer programming: a binary z_i per asset (1 = held) with
 *
 *     w_i <= u_i z_i,   w_i >= max(l_i, m_i) z_i  (l_i < 0: w_i >= l_i z_i),   sum_i z_i <= K,
 *
 * where [l_i, u_i] are the weight bounds (finite), m_i the minimum position and K the maximum number of assets. An
 * asset with z_i = 0 has w_i = 0 (its lower bound is >= 0, or the second row pins it); a held one lies in
 * [max(l_i, m_i), u_i]. A positive lower bound l_i forces z_i = 1 (the bounds stay hard constraints).
 */

import { InfeasibleError } from '../../core/errors.js';
import { fmt } from '../format.js';
import type { NormalizedProblem } from '../problem.js';
import type { ColumnModel } from './lp.js';
import type { NormalizedCardinality } from './problem.js';

/** Rows of the cardinality block: per asset the upper and lower links, then sum z <= K. */
export interface CardinalityRows {
  readonly upperLink: Int32Array;
  /** -1 where no lower link is needed (l_i >= 0 and m_i = 0). */
  readonly lowerLink: Int32Array;
  readonly count: number;
}

/** Declares the cardinality rows (before any column). */
export function declareCardinalityRows(
  model: ColumnModel,
  p: NormalizedProblem,
  c: NormalizedCardinality,
): CardinalityRows {
  const n = p.n;
  const upperLink = new Int32Array(n);
  const lowerLink = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    upperLink[i] = model.addRow(Number.NEGATIVE_INFINITY, 0);
    if (linkFloor(p, c, i) !== 0) lowerLink[i] = model.addRow(0, Number.POSITIVE_INFINITY);
  }
  const count = model.addRow(Number.NEGATIVE_INFINITY, c.maxAssets);
  return { upperLink, lowerLink, count };
}

/** The coefficient f_i of w_i >= f_i z_i: l_i when negative, else the minimum position (0: no row). */
function linkFloor(p: NormalizedProblem, c: NormalizedCardinality, i: number): number {
  const lo = p.lower[i] as number;
  return lo < 0 ? lo : (c.minPosition[i] as number);
}

/** Entries of weight column i in the cardinality rows. */
export function cardinalityWeightEntries(model: ColumnModel, rows: CardinalityRows, i: number): void {
  model.entry(rows.upperLink[i] as number, 1);
  const low = rows.lowerLink[i] as number;
  if (low >= 0) model.entry(low, 1);
}

/** Adds the binary columns z_1..z_n; returns the index of z_1. */
export function addCardinalityColumns(
  model: ColumnModel,
  p: NormalizedProblem,
  c: NormalizedCardinality,
  rows: CardinalityRows,
): number {
  const first = model.cols;
  for (let i = 0; i < p.n; i++) {
    const mustHold = (p.lower[i] as number) > 0;
    model.addColumn(0, mustHold ? 1 : 0, 1, true);
    model.entry(rows.upperLink[i] as number, -(p.upper[i] as number));
    const low = rows.lowerLink[i] as number;
    if (low >= 0) model.entry(low, -linkFloor(p, c, i));
    model.entry(rows.count, 1);
  }
  return first;
}

/**
 * Conflicts visible from the numbers alone, as InfeasibleError naming them: an asset that must be held (positive lower
 * bound) but whose minimum position exceeds its upper bound; more assets that must be held than K; long-only weights
 * whose K largest upper bounds sum below the budget; minimum holdings of the assets that must be held above the budget.
 */
export function checkCardinalityFeasibility(p: NormalizedProblem, c: NormalizedCardinality): void {
  const n = p.n;
  const must: number[] = [];
  const ceilings: number[] = [];
  let mustFloor = 0;
  for (let i = 0; i < n; i++) {
    const lo = p.lower[i] as number;
    const hi = p.upper[i] as number;
    const m = c.minPosition[i] as number;
    const canHold = Math.max(lo, m) <= hi;
    if (lo > 0) {
      if (!canHold) {
        throw new InfeasibleError(
          `${p.tickers[i]} must be held (its minimum weight is ${fmt(lo)}) but its minimum position ${fmt(m)} is above ` +
            `its maximum weight ${fmt(hi)}: lower the minimum position or raise the bound`,
        );
      }
      must.push(i);
      mustFloor += Math.max(lo, m);
    }
    if (canHold) ceilings.push(hi);
  }
  if (must.length > c.maxAssets) {
    throw new InfeasibleError(
      `${must.length} assets have a positive minimum weight and must be held, but at most ${c.maxAssets} may be: raise ` +
        'the maximum number of assets or lower those minimums',
    );
  }
  if (p.longOnly) {
    ceilings.sort((a, b) => b - a);
    let top = 0;
    for (let k = 0; k < Math.min(c.maxAssets, ceilings.length); k++) top += ceilings[k] as number;
    if (top < p.budget - 1e-9) {
      throw new InfeasibleError(
        `at most ${c.maxAssets} assets with their maximum weights reach ${fmt(top)}, below the budget ` +
          `${fmt(p.budget)}: allow more assets or raise the maximum weights`,
      );
    }
    if (mustFloor > p.budget + 1e-9) {
      throw new InfeasibleError(
        `the assets that must be held need at least ${fmt(mustFloor)} with their minimum positions, above the budget ` +
          `${fmt(p.budget)}: lower the minimum positions or weights`,
      );
    }
  }
}
