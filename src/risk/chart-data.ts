/**
 * Plain data for risk charts (their rendering lives elsewhere): risk-return points, an ordered correlation matrix
 * (in any order, or in the leaf order of a hierarchical clustering with its tree), the underwater curve, a return histogram with VaR and CVaR marks, and risk-contribution bars.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { ValidationError } from '../core/errors.js';
import { gram } from '../core/linalg/gram.js';
import { correlationDistance } from '../optimize/hierarchical/correlation-distance.js';
import { type Linkage, type LinkageMethod, leavesList, linkage } from '../optimize/hierarchical/linkage.js';
import { drawdownSeries } from './drawdown.js';
import { annualVolatility, cagr } from './metrics.js';
import { isConstant, mean, validValues } from './stats.js';
import type { VarEstimate } from './var.js';

/** One point of a risk-return chart. */
export interface RiskReturnPoint {
  readonly name: string;
  readonly kind: 'asset' | 'portfolio';
  /** Compound annual growth rate of the series (an annual fraction), over its own non-NaN periods. */
  readonly annualReturn: number;
  /** Annualised volatility (sample standard deviation times sqrt(P)). */
  readonly annualVolatility: number;
}

/**
 * Risk-return points: one per column of `assets` (per-period returns, each over its own non-NaN periods) and one per
 * extra named series (the portfolio), with the CAGR `prod(1 + r)^(P / n) - 1` as return and `s * sqrt(P)` as risk.
 */
export function riskReturnPoints(
  assets: DatedMatrix,
  periodsPerYear: number,
  portfolios: readonly { readonly name: string; readonly returns: ArrayLike<number> }[] = [],
): RiskReturnPoint[] {
  const points: RiskReturnPoint[] = assets.tickers.map((name, j) => {
    const r = assets.column(j);
    return {
      name,
      kind: 'asset',
      annualReturn: cagr(r, periodsPerYear),
      annualVolatility: annualVolatility(r, periodsPerYear),
    };
  });
  for (const p of portfolios) {
    points.push({
      name: p.name,
      kind: 'portfolio',
      annualReturn: cagr(p.returns, periodsPerYear),
      annualVolatility: annualVolatility(p.returns, periodsPerYear),
    });
  }
  return points;
}

/** A correlation matrix with its row and column order. */
export interface CorrelationMatrix {
  readonly tickers: readonly string[];
  /** n x n row-major Pearson correlations; NaN for a pair with fewer than 2 common periods or a constant series. */
  readonly values: Float64Array;
}

/**
 * The Pearson correlation matrix of per-period returns, each pair over the periods both have (pandas `DataFrame.corr()`
 * semantics): `rho_ij = S_ij / sqrt(S_ii S_jj)` with the sums of centred cross-products over the common periods, each
 * series centred by its mean over those periods. The diagonal is 1 (NaN for a constant series). With `order` (tickers
 * or column indices, a permutation of all columns, e.g. the leaf order of a hierarchical clustering) rows and columns
 * come in that order; otherwise in the input's. Throws ValidationError when `order` is not a permutation.
 */
export function correlationMatrix(returns: DatedMatrix, order?: readonly (string | number)[]): CorrelationMatrix {
  const n = returns.columnCount;
  const t = returns.rowCount;
  const idx = order === undefined ? Array.from({ length: n }, (_, j) => j) : permutation(returns, order);
  const tickers = idx.map((j) => returns.tickers[j] as string);
  const x = returns.values;
  const out = new Float64Array(n * n);
  let complete = true;
  for (let k = 0; k < x.length && complete; k++) complete = !Number.isNaN(x[k] as number);
  if (complete && t >= 2) {
    // Every series over the same periods: one Gram product of the centred columns.
    const centred = new Float64Array(t * n);
    idx.forEach((j, k) => {
      const col = returns.column(j);
      if (isConstant(col)) return;
      const m = mean(col);
      for (let s = 0; s < t; s++) centred[k * t + s] = (col[s] as number) - m;
    });
    const g = gram(centred, t, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const den = Math.sqrt((g[a * n + a] as number) * (g[b * n + b] as number));
        out[a * n + b] = a === b ? (den > 0 ? 1 : Number.NaN) : den > 0 ? (g[a * n + b] as number) / den : Number.NaN;
      }
    }
    return { tickers, values: out };
  }
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const r = pairCorrelation(returns.column(idx[a] as number), returns.column(idx[b] as number));
      out[a * n + b] = a === b && !Number.isNaN(r) ? 1 : r;
      out[b * n + a] = out[a * n + b] as number;
    }
  }
  return { tickers, values: out };
}

/** A correlation matrix in the leaf order of a hierarchical clustering, with the tree (for a dendrogram). */
export interface ClusteredCorrelationMatrix extends CorrelationMatrix {
  /**
   * The dendrogram over the input's columns (point ids are the input's column indices, SciPy's conventions); the
   * rows and columns of `values` follow its leaves from left to right.
   */
  readonly tree: Linkage;
}

/**
 * The Pearson correlation matrix of `correlationMatrix` (pairwise over common periods), with rows and columns in the
 * leaf order of the hierarchical clustering of the assets on the correlation distance `d_ij = sqrt((1 - rho_ij) / 2)`
 * (the distance of hierarchical risk parity), by `method` linkage (default `'average'`): correlated assets sit
 * together, so blocks show on a heatmap. Throws ValidationError when a correlation is undefined (a pair with fewer
 * than 2 common periods, or a constant series), naming the pair.
 */
export function clusteredCorrelationMatrix(
  returns: DatedMatrix,
  method: LinkageMethod = 'average',
): ClusteredCorrelationMatrix {
  const plain = correlationMatrix(returns);
  const n = plain.tickers.length;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      if (Number.isNaN(plain.values[a * n + b] as number)) {
        const pair = a === b ? `${plain.tickers[a]} is constant` : `${plain.tickers[a]} and ${plain.tickers[b]}`;
        throw new ValidationError(
          `cannot cluster the correlation matrix: the correlation of ${pair} is undefined ` +
            '(fewer than 2 common periods or a constant series); leave one of them out',
        );
      }
    }
  }
  const tree = linkage(correlationDistance(plain.values, n), method);
  const order = Array.from(leavesList(tree));
  const values = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++)
      values[a * n + b] = plain.values[(order[a] as number) * n + (order[b] as number)] as number;
  }
  return { tickers: order.map((j) => plain.tickers[j] as string), values, tree };
}

function pairCorrelation(x: Float64Array, y: Float64Array): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let s = 0; s < x.length; s++) {
    if (!Number.isNaN(x[s] as number) && !Number.isNaN(y[s] as number)) {
      xs.push(x[s] as number);
      ys.push(y[s] as number);
    }
  }
  if (xs.length < 2 || isConstant(xs) || isConstant(ys)) return Number.NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let s = 0; s < xs.length; s++) {
    const dx = (xs[s] as number) - mx;
    const dy = (ys[s] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function permutation(returns: DatedMatrix, order: readonly (string | number)[]): number[] {
  const n = returns.columnCount;
  const idx = order.map((o) => (typeof o === 'number' ? o : returns.indexOf(o)));
  const seen = new Set(idx);
  if (idx.length !== n || seen.size !== n || idx.some((j) => !Number.isInteger(j) || j < 0 || j >= n)) {
    throw new ValidationError(`a correlation order must list each of the ${n} columns exactly once`);
  }
  return idx;
}

/** An underwater curve for a chart. */
export interface DrawdownChart {
  /** ISO dates of the non-NaN periods. */
  readonly dates: string[];
  /** Drawdown on each of those dates, a fraction <= 0 (see `drawdownSeries`). */
  readonly drawdown: number[];
}

/** The drawdown (underwater) series of one return series on its dates (day numbers), NaN periods left out. */
export function drawdownChart(returns: ArrayLike<number>, dates: ArrayLike<number>): DrawdownChart {
  if (returns.length !== dates.length) throw new ValidationError(`${returns.length} returns for ${dates.length} dates`);
  const dd = drawdownSeries(returns);
  const out: DrawdownChart = { dates: [], drawdown: [] };
  for (let i = 0; i < dd.length; i++) {
    if (Number.isNaN(dd[i] as number)) continue;
    out.dates.push(isoDate(dates[i] as number));
    out.drawdown.push(dd[i] as number);
  }
  return out;
}

/** A vertical mark on a histogram. */
export interface HistogramMark {
  readonly label: string;
  /** Position in return units (a VaR of 0.05 is marked at -0.05). */
  readonly value: number;
}

/** A histogram of returns. */
export interface ReturnHistogram {
  /** k + 1 bin edges, ascending. */
  readonly edges: Float64Array;
  /** Count of returns in each of the k bins. */
  readonly counts: Int32Array;
  readonly marks: HistogramMark[];
}

/**
 * Histogram of the non-NaN returns in k equal-width bins from their minimum to their maximum (numpy `histogram`
 * semantics: edges `min + j (max - min) / k`, the last edge exactly max; bin j holds `edges_j <= r < edges_{j+1}`, the
 * last bin also r = max; when every return is equal the range is min - 0.5 .. max + 0.5), with a mark at `-VaR` and at
 * `-CVaR` of each given estimate (labelled "VaR NAME" and "CVaR NAME"). Throws ValidationError when k is not a
 * whole number >= 1.
 */
export function returnHistogram(
  returns: ArrayLike<number>,
  options: { readonly bins?: number; readonly var?: Readonly<Record<string, VarEstimate>> } = {},
): ReturnHistogram {
  const k = options.bins ?? 50;
  if (!Number.isSafeInteger(k) || k < 1) throw new ValidationError(`the number of bins must be at least 1, got ${k}`);
  const r = validValues(returns);
  const marks: HistogramMark[] = [];
  for (const [name, est] of Object.entries(options.var ?? {})) {
    marks.push({ label: `VaR ${name}`, value: -est.var }, { label: `CVaR ${name}`, value: -est.cvar });
  }
  const counts = new Int32Array(k);
  if (r.length === 0) return { edges: new Float64Array(k + 1).fill(Number.NaN), counts, marks };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of r) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / k;
  const edges = new Float64Array(k + 1);
  for (let j = 0; j < k; j++) edges[j] = j * step + lo;
  edges[k] = hi;
  const scale = k / (hi - lo);
  for (const v of r) {
    let j = Math.min(Math.floor((v - lo) * scale), k - 1);
    if (v < (edges[j] as number)) j--;
    else if (j < k - 1 && v >= (edges[j + 1] as number)) j++;
    counts[j] = (counts[j] as number) + 1;
  }
  return { edges, counts, marks };
}

/** One bar of a risk-contribution chart. */
export interface ContributionBar {
  readonly name: string;
  /** The contribution (units of the risk measure, e.g. an annual volatility or a loss fraction). */
  readonly value: number;
  /** `value / total`, the share of the total risk. */
  readonly share: number;
}

/**
 * Risk-contribution bars from per-asset (or per-sector) contributions: one bar per name with its share of the total
 * `sum(values)`, sorted by decreasing contribution when `sorted` is true (ties keep the input order).
 */
export function contributionBars(
  names: readonly string[],
  values: ArrayLike<number>,
  options: { readonly sorted?: boolean } = {},
): ContributionBar[] {
  if (names.length !== values.length) throw new ValidationError(`${values.length} values for ${names.length} names`);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  const bars = names.map((name, i) => ({ name, value: values[i] as number, share: (values[i] as number) / total }));
  return options.sorted ? bars.sort((a, b) => b.value - a.value) : bars;
}
