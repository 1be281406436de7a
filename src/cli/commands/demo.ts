/**
 * `pfopt demo`: the main job on the embedded real sample, offline. It loads the default sample and its benchmark,
 * estimates expected returns and covariance, builds the minimum-volatility, maximum-Sharpe and equal-weight
 * portfolios and compares them with the benchmark. Risk reports, backtests and the HTML report join it as they land.
 */

import type { Command } from 'commander';
import { loadPrices } from '../../data/load-prices.js';
import { SAMPLE_PREFIX, sampleInfo } from '../../data/samples.js';
import { summarize } from '../../data/summary.js';
import { sampleCovariance } from '../../estimate/covariance.js';
import { geometricReturn } from '../../estimate/expected-returns.js';
import { maxSharpe, minVolatility } from '../../optimize/mean-variance.js';
import { action, type CliIO } from '../context.js';
import { finiteNumber } from '../options.js';
import { renderTable } from '../table.js';
import { printInfo, printResult } from '../terminal.js';
import { formatSummary } from './data.js';

const DEFAULT_SAMPLE = 'stocks';

interface DemoOptions {
  sample: string;
  riskFree: number;
}

/** One row of the comparison: a portfolio's annual expected return, volatility and Sharpe ratio. */
interface PortfolioRow {
  readonly name: string;
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly weights: Record<string, number>;
}

/** Registers `demo`. */
export function registerDemoCommand(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description(
      'run the main job on the embedded real sample (offline): data summary, estimates, optimal portfolios vs the benchmark',
    )
    .option('--sample <name>', 'embedded sample to use', DEFAULT_SAMPLE)
    .option('--risk-free <rate>', 'annual risk-free rate as a decimal (0.02 is 2%)', finiteNumber, 0.02)
    .action(
      action<DemoOptions>(io, async (ctx, options) => {
        const info = sampleInfo(options.sample);
        const names = [info.name, ...(info.benchmark ? [info.benchmark] : [])];
        printInfo(ctx.term, `Loading ${names.map((n) => SAMPLE_PREFIX + n).join(' and ')} (embedded, offline)...`);
        const matrices = names.map((name) => loadPrices(SAMPLE_PREFIX + name));
        const summaries = names.map((name, k) => ({
          source: SAMPLE_PREFIX + name,
          role: name === info.name ? 'universe' : 'benchmark',
          ...summarize(matrices[k]!),
        }));
        const prices = matrices[0]!;

        printInfo(ctx.term, 'Estimating expected returns (CAGR) and the covariance (sample, pairwise)...');
        const mu = geometricReturn(prices);
        const cov = sampleCovariance(prices);
        const problem = {
          expectedReturns: mu.values,
          covariance: cov.values,
          tickers: mu.tickers,
          riskFreeRate: options.riskFree,
        };
        printInfo(ctx.term, 'Optimizing: minimum volatility, maximum Sharpe ratio...');
        const rows: PortfolioRow[] = [];
        for (const [name, result] of [
          ['minimum volatility', await minVolatility(problem)],
          ['maximum Sharpe', await maxSharpe(problem)],
        ] as const) {
          rows.push({ name, ...result, weights: { ...result.weightsByTicker } });
        }
        rows.push(equalWeight(mu.values, cov.values, mu.tickers, options.riskFree));
        const benchmark =
          matrices[1] === undefined ? undefined : benchmarkRow(matrices[1], summaries[1]!.source, options.riskFree);

        const result = {
          data: summaries,
          riskFreeRate: options.riskFree,
          portfolios: rows,
          benchmark: benchmark ?? null,
        };
        printResult(ctx.term, result, () => {
          const table = renderTable(
            [
              { header: 'portfolio' },
              { header: 'return', align: 'right' },
              { header: 'volatility', align: 'right' },
              { header: 'Sharpe', align: 'right' },
              { header: 'largest holdings' },
            ],
            [...rows, ...(benchmark ? [benchmark] : [])].map((r) => [
              r.name,
              percent(r.expectedReturn),
              percent(r.volatility),
              r.sharpe.toFixed(3),
              largest(r.weights),
            ]),
            ctx.term.colors,
          );
          return [
            ...summaries.map((s) => `${s.role}: ${formatSummary(s.source, s, ctx.term.colors)}`),
            `Annual expected return (CAGR), volatility (sample covariance) and Sharpe ratio at a risk-free rate of ${options.riskFree}:`,
            '',
            table,
            '',
            'Next: risk parity, stress tests, backtests with costs and the HTML report join this job as they land.',
            'Your own data: pfopt optimize --prices FILE --objective max-sharpe (pfopt --help for more)',
          ].join('\n');
        });
      }),
    );
}

/** The equal-weight portfolio measured with the same estimates. */
function equalWeight(mu: Float64Array, cov: Float64Array, tickers: readonly string[], rf: number): PortfolioRow {
  const n = tickers.length;
  const w = 1 / n;
  let ret = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    ret += w * (mu[i] as number);
    for (let j = 0; j < n; j++) variance += w * w * (cov[i * n + j] as number);
  }
  const volatility = Math.sqrt(variance);
  return {
    name: 'equal weight',
    expectedReturn: ret,
    volatility,
    sharpe: volatility > 0 ? (ret - rf) / volatility : 0,
    weights: Object.fromEntries(tickers.map((t) => [t, w])),
  };
}

/** The benchmark's own CAGR, volatility and Sharpe ratio, estimated like the assets'. */
function benchmarkRow(prices: ReturnType<typeof loadPrices>, source: string, rf: number): PortfolioRow {
  const mu = geometricReturn(prices);
  const cov = sampleCovariance(prices);
  const ret = mu.values[0] as number;
  const volatility = Math.sqrt(cov.values[0] as number);
  return {
    name: `benchmark (${source})`,
    expectedReturn: ret,
    volatility,
    sharpe: volatility > 0 ? (ret - rf) / volatility : 0,
    weights: { [prices.tickers[0] as string]: 1 },
  };
}

function largest(weights: Record<string, number>): string {
  return Object.entries(weights)
    .filter(([, w]) => w > 5e-4)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([t, w]) => `${t} ${(100 * w).toFixed(0)}%`)
    .join(', ');
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
