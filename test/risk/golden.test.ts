/**
 * The risk module against reference/risk/golden.json, written by reference/risk/risk.py from the stated definitions
 * with numpy / scipy / pandas (never a translation of the TypeScript): series metrics of the embedded monthly stocks
 * (GOOG listed late) against the S&P 500, of synthetic daily assets with leading gaps against an equal-weight market,
 * of a series with interior NaN runs and of 20 years of the daily S&P 500; three portfolios (equal weight, a
 * long-short one with a zero weight on a late listing, a 50-asset one) with their VaR and CVaR by the historical,
 * normal and Cornish-Fisher methods at several confidence levels and horizons, with the component, marginal and
 * stand-alone figures (the parametric marginals by complex-step differentiation), volatility and sector contributions;
 * chart data; and exact re-runs of the Monte Carlo simulation with the Python port of the random generator.
 *
 * Tolerance: 1e-10 relative, `|got - want| <= 1e-10 * max(|want|, floor)`. The floor is 1e-12 for returns and
 * loss fractions (a quantity near zero, such as the mean of a zero-mean series, is then held to 1e-22 absolute,
 * far below any rounding that matters) and 1e-10 for the components and marginals, which are sums of terms of the
 * size of the total and may cancel to nearly 0 (a component of 1e-6 is still checked to 1e-20). Indices and counts
 * are exact.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { simpleReturns } from '../../src/core/returns.js';
import { readSectorMap } from '../../src/data/keyed-files.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { benchmarkMetrics } from '../../src/risk/benchmark-metrics.js';
import { clusteredCorrelationMatrix, correlationMatrix, returnHistogram } from '../../src/risk/chart-data.js';
import { seriesMetrics } from '../../src/risk/metrics.js';
import { portfolioReturns } from '../../src/risk/portfolio-returns.js';
import { onDates, portfolioRiskReport } from '../../src/risk/report.js';
import { type PortfolioVar, portfolioVar, seriesVar, type VarMethod } from '../../src/risk/var.js';

type Num = number | null;

interface GoldenVar {
  method: VarMethod;
  confidence: number;
  horizon: number;
  var: number;
  cvar: number;
  marginalVar: number[];
  marginalCvar: number[];
  componentVar: number[];
  componentCvar: number[];
  assetVar: number[];
  assetCvar: number[];
  scenarios?: number;
}

interface GoldenSeries {
  name: string;
  source?: string;
  ticker?: string;
  values?: Num[];
  periodsPerYear: number;
  riskFreeRate: number;
  metrics: Record<string, Num>;
  benchmark?: Record<string, Num>;
  var?: GoldenVar[];
}

interface GoldenPortfolio {
  name: string;
  source: string;
  periodsPerYear: number;
  riskFreeRate: number;
  weights: Record<string, number>;
  held: string[];
  dates: string[];
  droppedDates: number;
  portfolioReturns: number[];
  metrics: Record<string, Num>;
  benchmark?: Record<string, Num>;
  volatility: { total: number; contributions: number[] };
  var: GoldenVar[];
  sectors?: {
    weights: Record<string, number>;
    volatility: Record<string, number>;
    componentCvar: Record<string, Record<string, number>>;
  };
}

interface Golden {
  series: GoldenSeries[];
  /** The equal-weight market of the synth20 assets (mean of the returns present on each date). */
  synth20Benchmark: Num[];
  portfolios: GoldenPortfolio[];
  charts: {
    correlationStocks: { order: string[]; values: Num[] };
    correlationSynth50: number[];
    clusteredCorrelation: {
      source: string;
      method: 'average' | 'single' | 'ward';
      order: string[];
      values: Num[];
      merges: [number, number, Num, number][];
    }[];
    histogram: { bins: number; edges: number[]; counts: number[] };
  };
  monteCarlo: {
    tickers: string[];
    weights: number[];
    runs: (GoldenVar & {
      model: 'normal' | 'student-t' | 'bootstrap';
      paths: number;
      seed: number;
      degreesOfFreedom: number | null;
    })[];
  };
}

const golden = JSON.parse(readFileSync(new URL('../../reference/risk/golden.json', import.meta.url), 'utf8')) as Golden;

function source(path: string): string {
  return path.startsWith('sample:') ? path : fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

function returnsOf(path: string): DatedMatrix {
  return simpleReturns(loadPrices(source(path)));
}

/** |got - want| <= 1e-10 max(|want|, floor); null in the JSON means NaN (undefined). */
function close(got: number, want: Num, what: string, floor = 1e-12): void {
  if (want === null) {
    expect(got, what).toBeNaN();
    return;
  }
  const tol = 1e-10 * Math.max(Math.abs(want), floor);
  if (!(Math.abs(got - want) <= tol)) {
    expect.fail(`${what}: got ${got}, want ${want} (difference ${Math.abs(got - want)}, tolerance ${tol})`);
  }
}

function closeArray(got: ArrayLike<number>, want: Num[], what: string, floor = 1e-12): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => {
    close(got[i] as number, w, `${what}[${i}]`, floor);
  });
}

const INDEX_KEYS = new Set([
  'periods',
  'episodes',
  'peakIndex',
  'troughIndex',
  'recoveryIndex',
  'longestDrawdownPeriods',
  'longestDrawdownStartIndex',
  'longestDrawdownEndIndex',
]);

function checkMetrics(got: Record<string, unknown>, want: Record<string, Num>, what: string): void {
  for (const [key, value] of Object.entries(want)) {
    if (INDEX_KEYS.has(key)) expect(got[key], `${what}.${key}`).toBe(value);
    else close(got[key] as number, value, `${what}.${key}`);
  }
  expect(got.annualReturn, `${what}.annualReturn`).toBe(got.cagr);
}

function checkVar(got: PortfolioVar, want: GoldenVar, what: string): void {
  close(got.var, want.var, `${what} VaR`);
  close(got.cvar, want.cvar, `${what} CVaR`);
  closeArray(got.marginalVar, want.marginalVar, `${what} marginal VaR`, 1e-10);
  closeArray(got.marginalCvar, want.marginalCvar, `${what} marginal CVaR`, 1e-10);
  closeArray(got.componentVar, want.componentVar, `${what} component VaR`, 1e-10);
  closeArray(got.componentCvar, want.componentCvar, `${what} component CVaR`, 1e-10);
  closeArray(got.assetVar, want.assetVar, `${what} asset VaR`);
  closeArray(got.assetCvar, want.assetCvar, `${what} asset CVaR`);
  if (want.scenarios !== undefined) expect(got.scenarios).toBe(want.scenarios);
  expect(got.cvar).toBeGreaterThanOrEqual(got.var);
}

describe('series metrics against numpy / scipy', () => {
  for (const s of golden.series) {
    it(s.name, () => {
      let values: ArrayLike<number>;
      let benchmark: ArrayLike<number> | undefined;
      if (s.values !== undefined) {
        values = Float64Array.from(s.values, (v) => v ?? Number.NaN);
      } else {
        const r = returnsOf(s.source as string);
        values = r.series(s.ticker as string);
        if (s.source === 'sample:stocks') {
          const b = returnsOf('sample:sp500');
          benchmark = onDates({ name: 'sp500', dates: b.dates, returns: b.column(0) }, r.dates);
        }
      }
      if (s.name.startsWith('synth20/')) benchmark = Float64Array.from(golden.synth20Benchmark, (v) => v ?? Number.NaN);
      const options = { periodsPerYear: s.periodsPerYear, riskFreeRate: s.riskFreeRate };
      checkMetrics(seriesMetrics(values, options) as unknown as Record<string, unknown>, s.metrics, s.name);
      if (s.benchmark !== undefined) {
        expect(benchmark).toBeDefined();
        const got = benchmarkMetrics(values, benchmark as ArrayLike<number>, options);
        checkMetrics({ ...got, annualReturn: 0, cagr: 0 }, s.benchmark, `${s.name} vs benchmark`);
      }
      for (const v of s.var ?? []) {
        const got = seriesVar(values, v.method, { confidence: v.confidence, horizon: v.horizon });
        checkVar(got, v, `${s.name} ${v.method} ${v.confidence} h${v.horizon}`);
      }
    });
  }
});

describe('portfolios against numpy / scipy', () => {
  for (const p of golden.portfolios) {
    it(p.name, () => {
      const returns = returnsOf(p.source);
      const port = portfolioReturns(returns, p.weights);
      expect(port.assets.tickers).toEqual(p.held);
      expect(port.assets.isoDates()).toEqual(p.dates);
      expect(port.droppedDates).toBe(p.droppedDates);
      closeArray(port.returns.column(0), p.portfolioReturns, `${p.name} returns`);
      const sectors =
        p.source.startsWith('reference/') && p.sectors !== undefined
          ? readSectorMap(source(p.source.replace('.csv', '.sectors.csv')))
          : undefined;
      let benchmark: { name: string; dates: Int32Array; returns: Float64Array } | undefined;
      if (p.benchmark !== undefined) {
        const b = returnsOf('sample:sp500');
        benchmark = { name: 'sp500', dates: b.dates, returns: b.column(0) };
      }
      const report = portfolioRiskReport(port, {
        periodsPerYear: p.periodsPerYear,
        riskFreeRate: p.riskFreeRate,
        methods: ['historical'],
        ...(sectors === undefined ? {} : { sectors }),
        ...(benchmark === undefined ? {} : { benchmark }),
      });
      checkMetrics(report.metrics as unknown as Record<string, unknown>, p.metrics, p.name);
      if (p.benchmark !== undefined) {
        checkMetrics({ ...report.benchmark, annualReturn: 0, cagr: 0 }, p.benchmark, `${p.name} vs benchmark`);
      }
      close(report.volatility.volatility, p.volatility.total, `${p.name} volatility`);
      closeArray(report.volatility.contributions, p.volatility.contributions, `${p.name} contributions`, 1e-10);
      for (const v of p.var) {
        const got = portfolioVar(port.assets, port.weights, v.method, {
          confidence: v.confidence,
          horizon: v.horizon,
        });
        const what = `${p.name} ${v.method} ${v.confidence} h${v.horizon}`;
        checkVar(got, v, what);
        if (p.sectors !== undefined && sectors !== undefined) {
          const total = portfolioRiskReport(port, {
            periodsPerYear: p.periodsPerYear,
            methods: [v.method],
            confidence: v.confidence,
            horizon: v.horizon,
            sectors,
          });
          const want = p.sectors.componentCvar[`${v.method}/${v.confidence}/${v.horizon}`] as Record<string, number>;
          const gotSectors = total.sectors?.componentCvar[v.method] as Record<string, number>;
          expect(Object.keys(gotSectors)).toEqual(Object.keys(want));
          for (const [s, x] of Object.entries(want)) close(gotSectors[s] as number, x, `${what} sector ${s}`, 1e-10);
        }
      }
      if (p.sectors !== undefined) {
        const s = report.sectors;
        expect(s?.names).toEqual(Object.keys(p.sectors.weights));
        for (const [name, x] of Object.entries(p.sectors.weights)) close(s?.weights[name] as number, x, name, 1e-10);
        for (const [name, x] of Object.entries(p.sectors.volatility)) {
          close(s?.volatility[name] as number, x, `${name} volatility`, 1e-10);
        }
      }
    });
  }
});

describe('chart data against pandas / numpy', () => {
  it('orders the pairwise correlation matrix of the stocks (GOOG listed late)', () => {
    const c = golden.charts.correlationStocks;
    const got = correlationMatrix(returnsOf('sample:stocks'), c.order);
    expect(got.tickers).toEqual(c.order);
    closeArray(got.values, c.values, 'correlation');
  });

  it('orders the correlation matrix by SciPy hierarchical clustering (average, single and Ward linkage)', () => {
    expect(golden.charts.clusteredCorrelation.length).toBe(6);
    for (const c of golden.charts.clusteredCorrelation) {
      const got = clusteredCorrelationMatrix(returnsOf(c.source), c.method);
      expect(got.tickers, `${c.source} ${c.method}`).toEqual(c.order);
      closeArray(got.values, c.values, `${c.source} ${c.method} correlation`);
      c.merges.forEach(([left, right, height, count], k) => {
        expect(got.tree.merges[4 * k], `merge ${k} left`).toBe(left);
        expect(got.tree.merges[4 * k + 1], `merge ${k} right`).toBe(right);
        close(got.tree.merges[4 * k + 2] as number, height, `${c.source} ${c.method} merge ${k} height`);
        expect(got.tree.merges[4 * k + 3], `merge ${k} count`).toBe(count);
      });
    }
  });

  it('refuses to cluster a correlation matrix with an undefined entry, naming the asset', () => {
    const r = returnsOf('sample:stocks');
    const flat = new DatedMatrix(
      r.dates,
      ['FLAT', ...r.tickers],
      (() => {
        const v = new Float64Array(r.rowCount * (r.columnCount + 1));
        v.fill(0.01, 0, r.rowCount);
        v.set(r.values, r.rowCount);
        return v;
      })(),
    );
    expect(() => clusteredCorrelationMatrix(flat)).toThrow(/FLAT is constant/);
  });

  it('computes the correlation of complete data with one Gram product', () => {
    const got = correlationMatrix(returnsOf('reference/data/synth-50x750.csv'));
    const want = golden.charts.correlationSynth50;
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) close(got.values[a * 50 + b] as number, want[a * 6 + b] as number, `rho ${a},${b}`);
    }
  });

  it('bins the portfolio returns as numpy.histogram', () => {
    const h = golden.charts.histogram;
    const rp = golden.portfolios[0]?.portfolioReturns as number[];
    const got = returnHistogram(rp, { bins: h.bins });
    closeArray(got.edges, h.edges, 'edges');
    expect(Array.from(got.counts)).toEqual(h.counts);
  });
});

describe('Monte Carlo: exact re-runs with the Python port of the generator', () => {
  const mc = golden.monteCarlo;
  const returns = returnsOf('sample:stocks').selectTickers(mc.tickers);
  const port = portfolioReturns(returns, Object.fromEntries(mc.tickers.map((t, i) => [t, mc.weights[i] as number])));
  for (const run of mc.runs) {
    it(`${run.model}, ${run.paths} paths, horizon ${run.horizon}, seed ${run.seed}`, () => {
      const method: VarMethod =
        run.model === 'bootstrap' ? 'bootstrap' : run.model === 'normal' ? 'monte-carlo-normal' : 'monte-carlo-t';
      for (const simd of [true, false]) {
        const got = portfolioVar(port.assets, port.weights, method, {
          confidence: run.confidence,
          horizon: run.horizon,
          paths: run.paths,
          seed: run.seed,
          simd,
          ...(run.degreesOfFreedom === null ? {} : { degreesOfFreedom: run.degreesOfFreedom }),
        });
        checkVar(got, run, `${method} simd ${simd}`);
      }
    });
  }
});
