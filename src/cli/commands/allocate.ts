/**
 * `pfopt allocate`: turns portfolio weights into whole shares for a cash budget at the latest prices.
 */

import type { Command } from 'commander';
import { isoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { latestValues } from '../../core/latest.js';
import { readLotSizes, readWeights } from '../../data/keyed-files.js';
import { loadPrices } from '../../data/load-prices.js';
import {
  allocateExact,
  allocateGreedy,
  type ExactShareAllocation,
  type ShareAllocation,
} from '../../optimize/discrete-allocation.js';
import { action, type CliIO } from '../context.js';
import {
  addPriceOptions,
  choiceOption,
  nonNegativeNumber,
  type PriceOptions,
  positiveNumber,
  priceSource,
} from '../options.js';
import { renderTable } from '../table.js';
import { printResult, printWarning } from '../terminal.js';

interface AllocateOptions extends PriceOptions {
  weights: string;
  budget: number;
  method: 'greedy' | 'exact';
  lotSizes?: string;
  allowShorts?: boolean;
  shortRatio?: number;
  reinvest?: boolean;
  timeLimit?: number;
}

/** Registers `allocate`. */
export function registerAllocateCommand(program: Command, io: CliIO): void {
  addPriceOptions(
    program
      .command('allocate')
      .description(
        'turn weights into whole shares (and lots) for a cash budget at the latest prices; report leftover cash',
      )
      .requiredOption('--weights <file>', 'weights: CSV (ticker,weight) or JSON (as printed by pfopt optimize --json)')
      .requiredOption('--budget <amount>', "cash to invest, in the prices' currency", positiveNumber)
      .option(
        '--method <method>',
        'greedy, or exact (integer program minimising the weight error)',
        methodOption,
        'exact',
      )
      .option('--lot-sizes <file>', 'shares per lot by ticker: CSV (ticker,lot) or JSON; default 1')
      .option('--allow-shorts', 'allocate negative weights as short positions')
      .option(
        '--short-ratio <r>',
        'short proceeds as a fraction of the budget (default: the sum of short weights)',
        nonNegativeNumber,
      )
      .option('--reinvest', 'add the short proceeds to the cash for the long side')
      .option(
        '--time-limit <seconds>',
        'exact method: stop after this many seconds with the best allocation found',
        positiveNumber,
      ),
  ).action(
    action<AllocateOptions>(io, async (ctx, o) => {
      const { source, load } = priceSource(ctx, o);
      if (source === undefined) {
        throw new ValidationError(
          'no price data given: pass --prices FILE or --prices sample:NAME for the latest prices',
        );
      }
      // Zero weights buy nothing and need no price.
      const weights = Object.fromEntries(
        Object.entries(readWeights(ctx.resolvePath(o.weights))).filter(([, w]) => w !== 0),
      );
      const prices = loadPrices(source, load);
      const latest = latestValues(prices, Object.keys(weights));
      const lastDay = prices.dates[prices.rowCount - 1] as number;
      for (const l of latest) {
        if (l.day < lastDay) {
          printWarning(
            ctx.term,
            `the latest price of ${l.ticker} is from ${isoDate(l.day)}, before the data's last date ${isoDate(lastDay)}`,
          );
        }
      }
      const priceMap = Object.fromEntries(latest.map((l) => [l.ticker, l.value]));
      const options = {
        ...(o.lotSizes === undefined ? {} : { lotSizes: readLotSizes(ctx.resolvePath(o.lotSizes)) }),
        ...(o.allowShorts ? { allowShorts: true } : {}),
        ...(o.shortRatio === undefined ? {} : { shortRatio: o.shortRatio }),
        ...(o.reinvest ? { reinvest: true } : {}),
      };
      const result: ShareAllocation | ExactShareAllocation =
        o.method === 'greedy'
          ? allocateGreedy(weights, priceMap, o.budget, options)
          : await allocateExact(weights, priceMap, o.budget, {
              ...options,
              ...(o.timeLimit === undefined ? {} : { timeLimit: o.timeLimit }),
            });
      for (const w of result.warnings) printWarning(ctx.term, w);
      const priceDates = Object.fromEntries(latest.map((l) => [l.ticker, isoDate(l.day)]));
      printResult(ctx.term, { ...result, priceDates }, () => {
        const rows = result.positions
          .filter((p) => p.shares !== 0)
          .map((p) => [
            p.ticker,
            String(p.shares),
            p.price.toFixed(2),
            p.value.toFixed(2),
            `${(100 * p.targetWeight).toFixed(2)}%`,
            `${(100 * p.weight).toFixed(2)}%`,
          ]);
        const table = renderTable(
          [
            { header: 'ticker' },
            { header: 'shares', align: 'right' },
            { header: 'price', align: 'right' },
            { header: 'value', align: 'right' },
            { header: 'target', align: 'right' },
            { header: 'achieved', align: 'right' },
          ],
          rows,
          ctx.term.colors,
        );
        const exact = 'optimal' in result ? (result.optimal ? ' (proved optimal)' : ' (not proved optimal)') : '';
        return [
          `${o.method === 'greedy' ? 'Greedy' : 'Exact'} allocation of ${o.budget} at the prices of ${isoDate(lastDay)}${exact}:`,
          '',
          table,
          '',
          `leftover cash: ${result.leftover.toFixed(2)}`,
          `weight error: RMSE ${result.rmse.toExponential(3)}, sum of |achieved - target| ${result.absoluteError.toExponential(3)}`,
        ].join('\n');
      });
    }),
  );
}

const methodOption = choiceOption(['greedy', 'exact'] as const);
