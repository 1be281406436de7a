/**
 * The greedy rounding behind `allocateGreedy` (PyPortfolioOpt's `DiscreteAllocation.greedy_portfolio`), on one side
 * of a portfolio (all longs, or all shorts by magnitude) given as plain arrays. Validation, ordering and reporting
 * live in `discrete-allocation.ts`.
 */

/**
 * One side of an allocation problem: items in processing order, each with a target weight and the cost of one lot.
 */
export interface LotProblem {
  /** Target weight of each item within the side, fractions summing to 1 (zero allowed), in processing order. */
  readonly targets: Float64Array;
  /** Cost of one lot of each item (price x shares per lot), currency, positive. */
  readonly lotCosts: Float64Array;
  /** Cash allotted to the side, currency, non-negative. */
  readonly budget: number;
}

/**
 * Rounding slack of the cash test, relative to the side budget: a lot of cost `c` is affordable when
 * `c <= remaining + CASH_SLACK * budget`. It absorbs the floating-point error of summing decimal amounts (about
 * `n * 1e-16 * budget`) so that a lot costing exactly the remaining cash can be bought; it is 1e-6 on a budget of
 * one million.
 */
export const CASH_SLACK = 1e-12;

/**
 * Money spent on a lot vector: `sum_k lots_k * lotCosts_k`, summed in item order (currency).
 */
export function spentOn(lots: ArrayLike<number>, lotCosts: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < lots.length; k++) total += (lots[k] as number) * (lotCosts[k] as number);
  return total;
}

/**
 * Whole lots per item by PyPortfolioOpt's greedy rule, with budget `B`, targets `t_k` and lot costs `c_k`:
 *
 * 1. First round, in item order: buy `floor((t_k * B) / c_k)` lots of item k (never more than
 *    `floor((remaining + slack) / c_k)`, which only binds through rounding since the targets sum to 1).
 * 2. Second round, repeatedly: with `invested = sum_j lots_j c_j` and `remaining = B - invested`, consider the items
 *    whose lot is affordable (`c_k <= remaining + CASH_SLACK * B`); compute each one's deficit
 *    `t_k - lots_k c_k / invested` (the current weight is 0 while nothing is invested); buy one lot of the item with
 *    the largest deficit, the first in item order on ties. Stop when no item is affordable or the largest deficit
 *    among affordable items is `<= 0` (PyPortfolioOpt's stopping rule: an over-weight asset is not bought with
 *    spare cash).
 *
 * One deliberate difference from PyPortfolioOpt 1.5: it gives up after skipping 10 unaffordable assets in one step;
 * this scans all of them. Returns the lot counts (non-negative integers) in item order.
 */
export function greedyLots(problem: LotProblem): Float64Array {
  const { targets, lotCosts, budget } = problem;
  const n = targets.length;
  const slack = CASH_SLACK * budget;
  const lots = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const c = lotCosts[k] as number;
    let want = Math.floor(((targets[k] as number) * budget) / c);
    const remaining = budget - spentOn(lots, lotCosts);
    if (want * c > remaining + slack) want = Math.floor((remaining + slack) / c);
    lots[k] = want;
  }
  for (;;) {
    const invested = spentOn(lots, lotCosts);
    const remaining = budget - invested;
    let best = -1;
    let bestDeficit = 0;
    for (let k = 0; k < n; k++) {
      const c = lotCosts[k] as number;
      if (c > remaining + slack) continue;
      const current = invested > 0 ? ((lots[k] as number) * c) / invested : 0;
      const deficit = (targets[k] as number) - current;
      if (best < 0 || deficit > bestDeficit) {
        best = k;
        bestDeficit = deficit;
      }
    }
    if (best < 0 || bestDeficit <= 0) return lots;
    lots[best] = (lots[best] as number) + 1;
  }
}
