/**
 * The linear rows of a problem in one fixed order, shared by the solvers and the diagnosis: budget, sector limits,
 * an optional return row mu'w >= floor, then the turnover row sum |w - w0| <= T and the gross-leverage row
 * sum |w| <= L (whose coefficients the active-set solver sets from the segments; zero here).
 */

import { fmt } from './format.js';
import type { NormalizedProblem } from './problem.js';
import type { DenseRows } from './solvers/simplex.js';

/** Rows of a problem with names for messages and the positions of the special rows. */
export interface ProblemRows extends DenseRows {
  readonly names: string[];
  /** Index of the return row mu'w >= floor, or -1. */
  readonly returnRow: number;
  readonly turnoverRow: number;
  readonly leverageRow: number;
}

/** True when the problem has a gross-leverage row (long-short weights and a leverage limit). */
export function hasLeverageRow(p: NormalizedProblem): boolean {
  return p.maxLeverage !== undefined && !p.longOnly;
}

/**
 * The rows of a problem in a fixed order: budget, sectors, [return mu'w >= -Infinity], [turnover], [leverage]. The
 * turnover and leverage rows get their coefficients from the solver (they depend on the segments).
 */
export function linearRows(p: NormalizedProblem, withReturnRow: boolean, withPiecewise = true): ProblemRows {
  const n = p.n;
  const turnover = withPiecewise && p.maxTurnover !== undefined;
  const leverage = withPiecewise && hasLeverageRow(p);
  const m = 1 + p.groups.length + (withReturnRow ? 1 : 0) + (turnover ? 1 : 0) + (leverage ? 1 : 0);
  const A = new Float64Array(m * n);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const names: string[] = [];
  A.fill(1, 0, n);
  lower[0] = p.budget;
  upper[0] = p.budget;
  names.push(`budget ${fmt(p.budget)}`);
  p.groups.forEach((g, k) => {
    const row = (k + 1) * n;
    for (const i of g.members) A[row + i] = 1;
    lower[k + 1] = g.lower;
    upper[k + 1] = g.upper;
    const lim = [
      g.lower > Number.NEGATIVE_INFINITY ? `min ${fmt(g.lower)}` : '',
      g.upper < Number.POSITIVE_INFINITY ? `max ${fmt(g.upper)}` : '',
    ]
      .filter((s) => s)
      .join(' ');
    names.push(`sector ${g.name} ${lim}`);
  });
  let next = 1 + p.groups.length;
  let returnRow = -1;
  let turnoverRow = -1;
  let leverageRow = -1;
  if (withReturnRow) {
    returnRow = next++;
    A.set(p.mu, returnRow * n);
    lower[returnRow] = Number.NEGATIVE_INFINITY;
    upper[returnRow] = Number.POSITIVE_INFINITY;
    names.push('target return');
  }
  if (turnover) {
    turnoverRow = next++;
    lower[turnoverRow] = Number.NEGATIVE_INFINITY;
    upper[turnoverRow] = p.maxTurnover as number;
    names.push(`turnover limit ${fmt(p.maxTurnover as number)}`);
  }
  if (leverage) {
    leverageRow = next++;
    lower[leverageRow] = Number.NEGATIVE_INFINITY;
    upper[leverageRow] = p.maxLeverage as number;
    names.push(`gross leverage limit ${fmt(p.maxLeverage as number)}`);
  }
  return { m, A, lower, upper, names, returnRow, turnoverRow, leverageRow };
}
