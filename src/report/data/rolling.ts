/**
 * Rolling risk of a return series over trailing windows: annualised volatility `s sqrt(P)`, Sharpe ratio
 * `(mean - rf_p) / s * sqrt(P)` with the per-period risk-free rate `(1 + rf)^(1/P) - 1`, and beta to a benchmark
 * `cov(r, b) / var(b)` (sample moments over the window). A window with a NaN return, or with a constant series where
 * the ratio divides by zero, gives null.
 */

import { ValidationError } from '../../core/errors.js';
import { riskFreePerPeriod } from '../../core/periods.js';

/** One window's figures, dated by the window's last period. */
export interface RollingFigures {
  /** Index of the window's last return. */
  readonly index: number;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly beta: number | null;
}

/**
 * Rolling figures of `returns` (per period) over windows of `window` returns ending at index window-1 .. n-1, beta
 * against `benchmark` (same length and dates) when given. Throws ValidationError for a window below 2 or lengths
 * that differ.
 */
export function rollingFigures(
  returns: ArrayLike<number>,
  options: {
    readonly window: number;
    readonly periodsPerYear: number;
    readonly riskFreeRate?: number;
    readonly benchmark?: ArrayLike<number>;
  },
): RollingFigures[] {
  const { window: w, periodsPerYear: p } = options;
  if (!Number.isSafeInteger(w) || w < 2)
    throw new ValidationError(`a rolling window needs at least 2 periods, got ${w}`);
  const b = options.benchmark;
  if (b !== undefined && b.length !== returns.length) {
    throw new ValidationError(`${returns.length} returns for ${b.length} benchmark returns`);
  }
  const rf = riskFreePerPeriod(options.riskFreeRate ?? 0, p);
  const out: RollingFigures[] = [];
  for (let end = w - 1; end < returns.length; end++) {
    let sum = 0;
    let sumB = 0;
    let ok = true;
    let okB = b !== undefined;
    for (let t = end - w + 1; t <= end; t++) {
      const r = returns[t] as number;
      if (Number.isNaN(r)) ok = false;
      sum += r;
      if (b !== undefined) {
        const x = b[t] as number;
        if (Number.isNaN(x)) okB = false;
        sumB += x;
      }
    }
    if (!ok) {
      out.push({ index: end, volatility: null, sharpe: null, beta: null });
      continue;
    }
    const mean = sum / w;
    const meanB = sumB / w;
    let ss = 0;
    let sb = 0;
    let sxb = 0;
    for (let t = end - w + 1; t <= end; t++) {
      const d = (returns[t] as number) - mean;
      ss += d * d;
      if (b !== undefined && okB) {
        const e = (b[t] as number) - meanB;
        sb += e * e;
        sxb += d * e;
      }
    }
    const s = Math.sqrt(ss / (w - 1));
    out.push({
      index: end,
      volatility: s * Math.sqrt(p),
      sharpe: s > 0 ? ((mean - rf) / s) * Math.sqrt(p) : null,
      beta: okB && sb > 0 ? sxb / sb : null,
    });
  }
  return out;
}
