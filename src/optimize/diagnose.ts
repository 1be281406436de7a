/**
 * Infeasibility diagnosis: messages that name the constraints in conflict and the numbers that make them conflict,
 * raised as InfeasibleError. The cheap checks run before any solve (sums of bounds against the budget, sector limits
 * against their assets' bounds); what they cannot explain is explained from the phase-1 certificate of the simplex
 * (the rows whose multipliers are non-zero) or from small linear programs (minimum turnover, minimum leverage).
 */

import { InfeasibleError } from '../core/errors.js';
import { fmt } from './format.js';
import type { NormalizedProblem } from './problem.js';
import { hasLeverageRow, linearRows } from './rows.js';
import { solveSegmentLp } from './solvers/segment-lp.js';

export { fmt };

/** Relative slack allowed before a sum is said to conflict (the solvers verify constraints to 1e-9). */
const SLACK = 1e-9;

/**
 * Checks the linear constraints that can be judged from sums alone (weights as fractions of capital, to a slack of
 * 1e-9): sum lo_i <= b <= sum hi_i; for each sector s, sum_{i in s} lo_i <= max_s and sum_{i in s} hi_i >= min_s;
 * sum_s max(min_s, sum_{i in s} lo_i) + sum_{i in no sector} lo_i <= b and the same with maximums >= b; |b| <= L.
 * Throws InfeasibleError with a message such as "minimum weights sum to 1.2 but the budget is 1" or "sector Tech max
 * 0.2 but its assets' minimums sum to 0.3".
 */
export function checkLinearFeasibility(p: NormalizedProblem): void {
  const { n, lower, upper, budget, groups, tickers } = p;
  let sumLo = 0;
  let sumHi = 0;
  for (let i = 0; i < n; i++) {
    sumLo += lower[i] as number;
    sumHi += upper[i] as number;
  }
  if (sumLo > budget + SLACK) {
    throw new InfeasibleError(
      `minimum weights sum to ${fmt(sumLo)} but the budget is ${fmt(budget)}: lower some minimum weights or raise the budget`,
    );
  }
  if (sumHi < budget - SLACK) {
    throw new InfeasibleError(
      `maximum weights sum to ${fmt(sumHi)} but the budget is ${fmt(budget)}: raise some maximum weights (with ${n} ` +
        `assets a common maximum must be at least ${fmt(budget / n)}) or lower the budget`,
    );
  }
  const inGroup = new Uint8Array(n);
  let groupFloor = 0;
  let groupCeiling = 0;
  for (const g of groups) {
    let lo = 0;
    let hi = 0;
    for (const i of g.members) {
      inGroup[i] = 1;
      lo += lower[i] as number;
      hi += upper[i] as number;
    }
    if (lo > g.upper + SLACK) {
      throw new InfeasibleError(
        `sector ${g.name} max ${fmt(g.upper)} but its assets' minimums sum to ${fmt(lo)}: raise the sector maximum or lower ` +
          `the minimum weights of ${names(g.members, tickers)}`,
      );
    }
    if (hi < g.lower - SLACK) {
      throw new InfeasibleError(
        `sector ${g.name} min ${fmt(g.lower)} but its assets' maximums sum to ${fmt(hi)}: lower the sector minimum or raise ` +
          `the maximum weights of ${names(g.members, tickers)}`,
      );
    }
    groupFloor += Math.max(lo, g.lower);
    groupCeiling += Math.min(hi, g.upper);
  }
  if (groups.length > 0) {
    let restLo = 0;
    let restHi = 0;
    for (let i = 0; i < n; i++) {
      if (inGroup[i]) continue;
      restLo += lower[i] as number;
      restHi += upper[i] as number;
    }
    if (groupFloor + restLo > budget + SLACK) {
      throw new InfeasibleError(
        `sector minimums (with the assets' minimum weights) add up to ${fmt(groupFloor + restLo)} but the budget is ` +
          `${fmt(budget)}: lower some sector minimums`,
      );
    }
    if (groupCeiling + restHi < budget - SLACK) {
      throw new InfeasibleError(
        `sector maximums (with the assets' maximum weights) add up to ${fmt(groupCeiling + restHi)} but the budget is ` +
          `${fmt(budget)}: raise some sector maximums`,
      );
    }
  }
  if (p.maxLeverage !== undefined && p.longOnly && budget > p.maxLeverage + SLACK) {
    throw new InfeasibleError(
      `gross leverage limit ${fmt(p.maxLeverage)} but long-only weights summing to the budget ${fmt(budget)} have gross ` +
        `leverage ${fmt(budget)}: raise the leverage limit`,
    );
  }
  if (p.maxLeverage !== undefined && Math.abs(budget) > p.maxLeverage + SLACK) {
    throw new InfeasibleError(
      `gross leverage limit ${fmt(p.maxLeverage)} is below the budget ${fmt(budget)} (sum |w| >= |sum w|): raise the limit`,
    );
  }
}

/**
 * Explains an infeasible phase 1 from its certificate: the rows with non-zero multipliers and the asset bounds in
 * play. `rowNames` names each row of the LP ("budget 1", "sector Tech [0.1, 0.2]", ...).
 */
export function explainCertificate(
  rowNames: readonly string[],
  rowDuals: Float64Array,
  infeasibility: number,
): InfeasibleError {
  const involved: string[] = [];
  let max = 0;
  for (let i = 0; i < rowDuals.length; i++) max = Math.max(max, Math.abs(rowDuals[i] as number));
  for (let i = 0; i < rowDuals.length; i++) {
    if (Math.abs(rowDuals[i] as number) > 1e-9 * Math.max(max, 1)) involved.push(rowNames[i] as string);
  }
  const list = involved.length > 0 ? involved.join(', ') : 'the row constraints';
  return new InfeasibleError(
    `the constraints cannot all hold: ${list} and the weight bounds conflict (the closest any portfolio gets misses ` +
      `them by ${fmt(infeasibility)} in total); relax one of them`,
  );
}

/**
 * Explains why the constraints of `p` (with an optional return floor) cannot all hold, by linear programs: the budget
 * and sector rows with the bounds (the phase-1 certificate names the rows in conflict), the least turnover and the
 * least gross leverage that the other constraints need, and the return floor against the maximum return. Always
 * throws InfeasibleError.
 */
export function explainInfeasibility(p: NormalizedProblem, floor?: number, maxReturn?: () => number): never {
  const base = linearRows(p, false, false);
  const none = { center: undefined, maxTurnover: undefined, maxLeverage: undefined };
  const linear = solveSegmentLp(p.n, undefined, p.lower, p.upper, base, none);
  if (linear.status === 'infeasible') throw explainCertificate(base.names, linear.rowDuals, linear.infeasibility);
  const pw = {
    center: p.currentWeights,
    maxTurnover: p.maxTurnover,
    maxLeverage: hasLeverageRow(p) ? p.maxLeverage : undefined,
  };
  if (pw.maxTurnover !== undefined) {
    const least = solveSegmentLp(p.n, undefined, p.lower, p.upper, base, pw, 'turnover');
    if (least.status === 'optimal' && least.objective > pw.maxTurnover + SLACK) {
      throw new InfeasibleError(
        `turnover limit ${fmt(pw.maxTurnover)} but reaching the other constraints from the current weights needs ` +
          `turnover of at least ${fmt(least.objective)}: raise the limit or relax the other constraints`,
      );
    }
  }
  if (pw.maxLeverage !== undefined) {
    const least = solveSegmentLp(p.n, undefined, p.lower, p.upper, base, pw, 'leverage');
    if (least.status === 'optimal' && least.objective > pw.maxLeverage + SLACK) {
      throw new InfeasibleError(
        `gross leverage limit ${fmt(pw.maxLeverage)} but the other constraints need gross leverage of at least ` +
          `${fmt(least.objective)}: raise the limit`,
      );
    }
  }
  const all = solveSegmentLp(p.n, undefined, p.lower, p.upper, base, pw);
  if (all.status === 'infeasible') {
    const names = [...base.names];
    if (pw.maxTurnover !== undefined) names.push(`turnover limit ${fmt(pw.maxTurnover)}`);
    if (pw.maxLeverage !== undefined) names.push(`gross leverage limit ${fmt(pw.maxLeverage)}`);
    throw explainCertificate(names, all.rowDuals, all.infeasibility);
  }
  if (floor !== undefined && maxReturn) {
    const max = maxReturn();
    if (floor > max) throw targetReturnTooHigh(floor, max);
  }
  throw new InfeasibleError(
    'the constraints cannot all hold together: relax the bounds, sector, turnover or leverage limits',
  );
}

/** "target return 0.5 is above the maximum attainable 0.31" (annual returns, max mu'w under the constraints). */
export function targetReturnTooHigh(target: number, maxReturn: number): InfeasibleError {
  return new InfeasibleError(
    `target return ${fmt(target)} is above the maximum attainable ${fmt(maxReturn)} under the constraints: lower the target`,
  );
}

/** "target volatility 0.05 is below the minimum volatility 0.12" (annual, min sqrt(w'Sw) under the constraints). */
export function targetVolatilityTooLow(target: number, minVol: number, what = 'target volatility'): InfeasibleError {
  return new InfeasibleError(
    `${what} ${fmt(target)} is below the minimum volatility ${fmt(minVol)} attainable under the constraints: raise it`,
  );
}

/**
 * Max Sharpe without any portfolio beating the risk-free hurdle: max (mu'w - c sum |w - w0|) <= rf b (annual). Names
 * the rate (and for a plain long-only problem the best asset) and suggests min volatility or a lower --risk-free.
 */
export function noExcessReturn(p: NormalizedProblem, maxReturn: number): InfeasibleError {
  const rf = p.riskFreeRate;
  let best = 0;
  for (let i = 1; i < p.n; i++) if ((p.mu[i] as number) > (p.mu[best] as number)) best = i;
  const hurdle = rf * p.budget;
  const detail =
    p.longOnly && p.budget === 1 && p.groups.length === 0
      ? `no asset's expected return exceeds the risk-free rate ${fmt(rf)} (the highest is ${fmt(p.mu[best] as number)}, ` +
        `${p.tickers[best]})`
      : `no portfolio within the constraints has an expected return above the risk-free hurdle ${fmt(hurdle)} ` +
        `(risk-free rate ${fmt(rf)} times the budget; the maximum attainable${p.transactionCost > 0 ? ' net of costs' : ''} is ${fmt(maxReturn)})`;
  return new InfeasibleError(
    `${detail}, so the maximum Sharpe ratio is undefined: use min volatility (or efficient return) instead, or a lower --risk-free`,
  );
}

function names(members: Int32Array, tickers: readonly string[]): string {
  const list = [...members].slice(0, 5).map((i) => tickers[i]);
  return members.length > 5 ? `${list.join(', ')}, ...` : list.join(', ');
}
