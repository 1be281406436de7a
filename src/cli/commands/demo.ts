/**
 * `pfopt demo`: the main job on the embedded real sample, offline. It loads the sample and its benchmark, estimates
 * expected returns and covariance, optimises five portfolios (minimum volatility, maximum Sharpe, risk parity,
 * hierarchical risk parity, equal weight), assesses their risk including the historical stress episodes the sample
 * covers, backtests them walk-forward against the benchmark with costs, prints a comparison table and writes the
 * HTML report (with results.json, summary.md, CSVs and chart SVGs) to `--out`.
 */

import type { Command } from 'commander';
import { loadPrices } from '../../data/load-prices.js';
import { SAMPLE_PREFIX, sampleInfo, samplesDirectory } from '../../data/samples.js';
import { summarize } from '../../data/summary.js';
import { DEFAULT_SETTINGS, runPipeline } from '../../report/pipeline.js';
import { action, type CliIO } from '../context.js';
import { finiteNumber } from '../options.js';
import { manifestBase, publish, sourceRecord } from '../report-output.js';
import { printInfo } from '../terminal.js';
import { formatSummary } from './data.js';

const DEFAULT_SAMPLE = 'stocks';

/** Default output folder of the report. */
export const DEFAULT_REPORT_DIR = 'pfopt-report';

interface DemoOptions {
  sample: string;
  riskFree: number;
  out: string;
  open?: boolean;
  png?: boolean;
  linear?: boolean;
}

/** Registers `demo`. */
export function registerDemoCommand(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description(
      'run the main job on the embedded real sample (offline): estimates, five portfolios, risk, stress tests, ' +
        'backtest against the benchmark with costs, and the HTML report',
    )
    .option('--sample <name>', 'embedded sample to use', DEFAULT_SAMPLE)
    .option('--risk-free <rate>', 'annual risk-free rate as a decimal (0.02 is 2%)', finiteNumber, 0.02)
    .option('--out <dir>', 'folder of the report (index.html, results.json, CSVs, charts)', `./${DEFAULT_REPORT_DIR}/`)
    .option('--open', 'open the report in the default browser when done')
    .option('--png', 'also write a PNG of every chart (charts/*.png)')
    .option('--linear', 'equity curve on a linear scale (default logarithmic)')
    .action(
      action<DemoOptions>(io, async (ctx, options) => {
        const started = performance.now();
        const info = sampleInfo(options.sample);
        const steps = 7;
        let k = 0;
        const step = (text: string): void => printInfo(ctx.term, `[${++k}/${steps}] ${text}...`);
        const names = [info.name, ...(info.benchmark ? [info.benchmark] : [])];
        step(`Loading ${names.map((n) => SAMPLE_PREFIX + n).join(' and ')} (embedded, offline)`);
        const matrices = names.map((name) => loadPrices(SAMPLE_PREFIX + name));
        const prices = matrices[0]!;
        const benchmark = matrices[1];
        const sources = names.map((name, j) =>
          sourceRecord(
            SAMPLE_PREFIX + name,
            j === 0 ? 'universe' : 'benchmark',
            matrices[j]!,
            samplesDirectory() + sampleInfo(name).file,
          ),
        );
        const summary = summarize(prices);
        const results = await runPipeline({
          prices,
          ...(benchmark === undefined ? {} : { benchmark }),
          settings: {
            ...DEFAULT_SETTINGS,
            riskFreeRate: options.riskFree,
            report: {
              ...DEFAULT_SETTINGS.report,
              title: `pfopt demo: ${summary.tickers.length} stocks of ${SAMPLE_PREFIX}${info.name}${benchmark ? ` against ${benchmark.tickers[0]}` : ''}`,
              logScale: options.linear !== true,
            },
          },
          manifest: { ...manifestBase(`pfopt demo${commandFlags(options)}`), sources },
          onStep: step,
        });
        step('Writing the report');
        await publish(ctx, results, {
          out: options.out,
          preamble: [
            ...sources.map(
              (src, j) => `${src.role}: ${formatSummary(src.name, summarize(matrices[j]!), ctx.term.colors)}`,
            ),
            '',
          ],
          ...(options.open ? { open: true } : {}),
          ...(options.png ? { png: true } : {}),
        });
        printInfo(ctx.term, `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      }),
    );
}

/** The flags of the run as they would be typed (for the manifest). */
function commandFlags(o: DemoOptions): string {
  const parts: string[] = [];
  if (o.sample !== DEFAULT_SAMPLE) parts.push(`--sample ${o.sample}`);
  if (o.riskFree !== 0.02) parts.push(`--risk-free ${o.riskFree}`);
  if (o.linear) parts.push('--linear');
  if (o.png) parts.push('--png');
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}
