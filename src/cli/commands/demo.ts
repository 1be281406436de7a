/**
 * `pfopt demo`: the main job on the embedded real sample, offline. Today it loads the default sample and its
 * benchmark and shows what the data holds; the optimization, risk, backtest and report stages join it as they land.
 */

import type { Command } from 'commander';
import { loadPrices } from '../../data/load-prices.js';
import { SAMPLE_PREFIX, sampleInfo } from '../../data/samples.js';
import { summarize } from '../../data/summary.js';
import { action, type CliIO } from '../context.js';
import { printInfo, printResult } from '../terminal.js';
import { formatSummary } from './data.js';

const DEFAULT_SAMPLE = 'stocks';

/** Registers `demo`. */
export function registerDemoCommand(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run the main job on the embedded real sample (offline): today, a summary of the data')
    .option('--sample <name>', 'embedded sample to use', DEFAULT_SAMPLE)
    .action(
      action<{ sample: string }>(io, (ctx, options) => {
        const info = sampleInfo(options.sample);
        const names = [info.name, ...(info.benchmark ? [info.benchmark] : [])];
        printInfo(ctx.term, `Loading ${names.map((n) => SAMPLE_PREFIX + n).join(' and ')} (embedded, offline)...`);
        const summaries = names.map((name) => ({
          source: SAMPLE_PREFIX + name,
          role: name === info.name ? 'universe' : 'benchmark',
          ...summarize(loadPrices(SAMPLE_PREFIX + name)),
        }));
        printResult(ctx.term, { data: summaries }, () =>
          [
            ...summaries.map((s) => `${s.role}: ${formatSummary(s.source, s, ctx.term.colors)}`),
            'Next: estimation, optimization, risk, backtests and the HTML report join this job as they land.',
            'Look at your own data with: pfopt data show --prices FILE',
          ].join('\n'),
        );
      }),
    );
}
