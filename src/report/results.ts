/**
 * The results of a report run as one plain JSON document (`results.json`): everything the report draws, so that
 * `pfopt report --from results.json` re-renders it without recomputing, plus the run manifest that lets the run be
 * reproduced. Numbers that are undefined (NaN) are null. Dates are ISO strings; returns, volatilities and weights are
 * fractions (annual where the name says so).
 */

import { ValidationError } from '../core/errors.js';

/** Identifier of this document's shape; `report --from` refuses other shapes. */
export const RESULTS_SCHEMA = 'pfopt-results/1';

/** One input of the run. */
export interface SourceRecord {
  /** As given: a file path, `sample:NAME`, or a provider ticker list. */
  readonly name: string;
  readonly role: 'universe' | 'benchmark';
  /** SHA-256 of the file's bytes (hex), so that a rerun can check it reads the same data. */
  readonly sha256: string;
  readonly tickers: readonly string[];
  readonly rows: number;
  readonly start: string;
  readonly end: string;
}

/** What was run, on what, with which parameters, by which version, when. */
export interface RunManifest {
  readonly pfoptVersion: string;
  readonly nodeVersion: string;
  /** ISO timestamp of the run. */
  readonly createdAt: string;
  /** The command line or configuration file that produced the run. */
  readonly command: string;
  readonly sources: readonly SourceRecord[];
  /** First and last date of the prices used. */
  readonly dateRange: { readonly start: string; readonly end: string };
  /** Every parameter of the run, defaults included. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Wall time of the computation, in seconds. */
  readonly seconds?: number;
}

/** A portfolio optimised on the whole sample, with its ex-ante figures and its historical risk. */
export interface PortfolioRecord {
  readonly name: string;
  /** The method (`min-volatility`, `max-sharpe`, `risk-parity`, `hrp`, `equal-weight`...). */
  readonly method: string;
  readonly weights: Readonly<Record<string, number>>;
  /** Annual mu'w, sqrt(w'Sw) and (mu'w - rf) / sqrt(w'Sw) under the run's estimates. */
  readonly expectedReturn: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  /** Share of the volatility by ticker, w_i (S w)_i / w'S w. */
  readonly riskShares: Readonly<Record<string, number>>;
  /** Historical figures of the portfolio held at these weights (the dates every held asset has). */
  readonly historical: {
    readonly periods: number;
    readonly start: string | null;
    readonly end: string | null;
    readonly cagr: number | null;
    readonly annualVolatility: number | null;
    readonly maxDrawdown: number | null;
    /** VaR and CVaR at `confidence`, one period, historical method, as positive loss fractions. */
    readonly var: number | null;
    readonly cvar: number | null;
    readonly confidence: number;
    readonly histogram: {
      readonly edges: readonly (number | null)[];
      readonly counts: readonly number[];
      readonly marks: readonly { readonly label: string; readonly value: number | null }[];
    };
  };
  readonly notes: readonly string[];
}

/** One historical stress episode replayed on every portfolio and the benchmark. */
export interface StressRecord {
  readonly id: string;
  readonly name: string;
  readonly from: string | null;
  readonly to: string | null;
  /** Total return over the episode by portfolio name and benchmark name; null when not replayed. */
  readonly returns: Readonly<Record<string, number | null>>;
  /** Maximum drawdown inside the episode, same keys. */
  readonly maxDrawdowns: Readonly<Record<string, number | null>>;
}

/** A backtested strategy. */
export interface StrategyRecord {
  readonly name: string;
  /** NAV over its first value, on the backtest dates. */
  readonly nav: readonly (number | null)[];
  /** Drawdown from the running peak on the backtest dates (<= 0). */
  readonly drawdown: readonly (number | null)[];
  /** Weights after trading on each date: `weights[t][i]` for `tickers[i]`. */
  readonly weights: readonly (readonly (number | null)[])[];
  readonly cash: readonly (number | null)[];
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly turnover: number;
  readonly costs: number;
  readonly trades: readonly {
    readonly date: string;
    readonly ticker: string;
    readonly shares: number;
    readonly price: number;
    readonly value: number;
    readonly cost: number;
  }[];
  readonly warnings: readonly string[];
}

/** The results of a run. */
export interface ReportResults {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly title: string;
  readonly manifest: RunManifest;
  readonly universe: {
    readonly tickers: readonly string[];
    readonly periodsPerYear: number;
    readonly benchmark: string | null;
  };
  readonly riskFreeRate: number;
  readonly estimates: {
    readonly returnsModel: string;
    readonly riskModel: string;
    readonly expectedReturns: Readonly<Record<string, number>>;
    readonly volatilities: Readonly<Record<string, number>>;
  };
  /** Correlation in cluster order. */
  readonly correlation: {
    readonly tickers: readonly string[];
    readonly values: readonly (readonly (number | null)[])[];
  };
  readonly dendrogram: {
    readonly labels: readonly string[];
    readonly merges: readonly (readonly [number, number, number, number])[];
    readonly method: string;
  } | null;
  readonly frontier: {
    readonly points: readonly { readonly expectedReturn: number; readonly volatility: number }[];
    readonly random: readonly { readonly expectedReturn: number; readonly volatility: number }[];
  };
  readonly portfolios: readonly PortfolioRecord[];
  readonly stress: readonly StressRecord[];
  readonly backtest: {
    readonly dates: readonly string[];
    readonly settings: Readonly<Record<string, unknown>>;
    readonly strategies: readonly StrategyRecord[];
    readonly benchmark: {
      readonly name: string;
      readonly nav: readonly (number | null)[];
      readonly drawdown: readonly (number | null)[];
      readonly metrics: Readonly<Record<string, number | null>>;
    } | null;
    /** Realised CAGR and volatility of each asset over the backtest dates. */
    readonly assets: readonly {
      readonly name: string;
      readonly annualReturn: number | null;
      readonly annualVolatility: number | null;
    }[];
    readonly rolling: {
      readonly window: number;
      readonly points: readonly {
        readonly date: string;
        readonly series: string;
        readonly volatility: number | null;
        readonly sharpe: number | null;
        readonly beta: number | null;
      }[];
    };
    /** The strategy of the weights-over-time, monthly-returns and histogram charts. */
    readonly featured: string;
    readonly monthly: readonly { readonly year: number; readonly month: number; readonly value: number }[];
  } | null;
  readonly report: { readonly logScale: boolean };
  readonly warnings: readonly string[];
}

/** JSON text of the results (NaN and infinities as null, two-space indentation). */
export function resultsToJson(results: ReportResults): string {
  return `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Reads results back from JSON text; throws ValidationError naming `source` when the text is not JSON or not a
 * results document of this version.
 */
export function parseResults(text: string, source: string): ReportResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source}: not JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (typeof value !== 'object' || value === null || schema !== RESULTS_SCHEMA) {
    throw new ValidationError(
      `${source}: not a pfopt results file (expected "schema": "${RESULTS_SCHEMA}", found ${JSON.stringify(schema ?? null)}); ` +
        'write one with pfopt demo or pfopt run',
    );
  }
  for (const key of ['manifest', 'universe', 'portfolios', 'frontier', 'correlation'] as const) {
    if (!(key in value)) throw new ValidationError(`${source}: the results lack "${key}"`);
  }
  return value as ReportResults;
}

/** `x` or null when it is not finite. */
export function num(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}
