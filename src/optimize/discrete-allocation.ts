/**
 * Discrete allocation: turn portfolio weights into whole shares (whole lots) that a cash budget can buy, as
 * PyPortfolioOpt's `DiscreteAllocation` does, by two methods:
 *
 * - `allocateGreedy`: PyPortfolioOpt's `greedy_portfolio` (round down, then top up the most under-weight affordable
 *   asset one lot at a time), fast and synchronous;
 * - `allocateExact`: PyPortfolioOpt's `lp_portfolio` mixed-integer program (minimise the total absolute value error
 *   plus the leftover cash), solved to proven optimality by HiGHS, asynchronous because HiGHS loads asynchronously.
 *
 * Conventions shared by both (amounts in the currency of the prices and budget; weights are fractions):
 *
 * - Order: tickers are processed and reported in descending order of signed weight, ties by ticker in code-point
 *   order, whatever the order of the input; the greedy's tie-breaking follows that order.
 * - Long-only (the default): weights must be non-negative; they are divided by their sum, with a warning when the
 *   sum is further than 1e-6 from 1.
 * - Long-short (`allowShorts`, PyPortfolioOpt's rules): longs (w >= 0) are divided by their sum L and the shorts'
 *   magnitudes by their sum S; the long side is allocated `B` (plus `B * shortRatio` when `reinvest`), the short side
 *   `B * shortRatio` (shortRatio defaults to S), each as its own long-only problem; short shares are negative.
 * - Lots: a ticker's shares are a whole multiple of its lot size (default 1); a lot costs `price * lotSize` and every
 *   value is `lots * lotCost`.
 * - Cash: a lot is affordable when its cost is at most the cash left plus `1e-12 * budget` (floating-point slack
 *   for amounts that add up exactly); the leftover is `max(0, budget - spent)`. Zero-weight tickers are never bought.
 * - Reports keep every ticker of the weights (zeros included) in `positions`; `shares` lists the non-zero ones.
 * - Achieved weight = signed value / budget, so leftover cash shows as under-investment; each position also carries
 *   the target it was allocated against (fraction of the budget). `absoluteError = sum |weight - target|` and
 *   `rmse = sqrt(mean (weight - target)^2)` over every ticker of the weights. (PyPortfolioOpt's printed RMSE divides
 *   by the invested value instead, which is undefined for a market-neutral long-short portfolio.)
 * - A budget too small to buy one lot of any asset with a target is not an error: the result holds no shares, the
 *   whole budget is left over and a warning says why.
 */

import { ValidationError } from '../core/errors.js';
import { greedyLots, type LotProblem, spentOn } from './discrete-allocation-greedy.js';
import { solveLotMilp } from './discrete-allocation-milp.js';
import { loadHighs } from './solvers/highs-loader.js';

/** Ticker to number (weight, price or lot size), as a plain object or a Map. */
export type TickerValues = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/** Options of both allocation methods. */
export interface AllocationOptions {
  /** Shares per lot by ticker (positive integers); tickers not listed trade in single shares. */
  readonly lotSizes?: TickerValues;
  /** Accept negative weights and allocate them as short positions (default false: negative weights are an error). */
  readonly allowShorts?: boolean;
  /** Short proceeds as a fraction of the budget (>= 0; default: the sum of the magnitudes of negative weights). */
  readonly shortRatio?: number;
  /** Add the short proceeds `budget * shortRatio` to the long side's cash (default false). */
  readonly reinvest?: boolean;
}

/** Options of `allocateExact`: those of both methods plus the limits of the HiGHS solve. */
export interface ExactAllocationOptions extends AllocationOptions {
  /** Wall-clock limit of each side's solve in seconds (default: none). */
  readonly timeLimit?: number;
  /** Relative optimality gap at which HiGHS may stop, in [0, 1] (default 0: prove optimality). */
  readonly relativeGap?: number;
  /** Absolute optimality gap in currency at which HiGHS may stop (default 1e-6). */
  readonly absoluteGap?: number;
}

/** One ticker of an allocation. Signed quantities are negative for shorts. */
export interface AllocationPosition {
  readonly ticker: string;
  /** The target the method aimed at, signed, as a fraction of the budget (after normalisation, see the module). */
  readonly targetWeight: number;
  /** Price per share (currency). */
  readonly price: number;
  /** Shares per lot. */
  readonly lotSize: number;
  /** Signed whole lots. */
  readonly lots: number;
  /** Signed whole shares, `lots * lotSize`. */
  readonly shares: number;
  /** Signed value, `lots * price * lotSize` (currency). */
  readonly value: number;
  /** Achieved weight, `value / budget` (fraction of the budget; leftover cash makes long weights sum below 1). */
  readonly weight: number;
}

/** One side (the longs, or the shorts) of an allocation, solved as its own long-only problem. */
export interface AllocationSide {
  readonly side: 'long' | 'short';
  /** Cash allotted to the side (currency). */
  readonly budget: number;
  /** Money spent on (long) or raised by (short) the side's lots, positive (currency). */
  readonly invested: number;
  /** `max(0, budget - invested)` (currency). */
  readonly leftover: number;
  /** `sum_i |t_i budget - lots_i lotCost_i| + leftover` over the side's tickers, `t` the side target (currency). */
  readonly objective: number;
}

/** The result of either method. */
export interface ShareAllocation {
  readonly method: 'greedy' | 'exact';
  /** The budget given (currency). */
  readonly budget: number;
  /** Every ticker of the weights, in descending order of signed weight (ties by ticker), zeros included. */
  readonly positions: readonly AllocationPosition[];
  /** Ticker to signed whole shares, non-zero positions only, inserted in the order of `positions`. */
  readonly shares: Readonly<Record<string, number>>;
  /** Cash not spent, summed over the sides (currency). */
  readonly leftover: number;
  /**
   * PyPortfolioOpt's `lp_portfolio` objective of this allocation, summed over the sides: total absolute difference
   * between target and bought value plus the leftover cash (currency). `allocateExact` minimises it.
   */
  readonly objective: number;
  /** `sum_i |weight_i - targetWeight_i|` over all positions (fraction of the budget). */
  readonly absoluteError: number;
  /** `sqrt(mean_i (weight_i - targetWeight_i)^2)` over all positions (fraction of the budget). */
  readonly rmse: number;
  /** The long side, then the short side when there is one. */
  readonly sides: readonly AllocationSide[];
  /** Notes that do not stop the allocation: normalised weights, a budget too small, an unproven optimum. */
  readonly warnings: readonly string[];
}

/** The result of `allocateExact`, with the solver's verdict. */
export interface ExactShareAllocation extends ShareAllocation {
  readonly method: 'exact';
  /** Whether HiGHS proved every side's allocation optimal (within the gaps). */
  readonly optimal: boolean;
  /** `optimal`, or the HiGHS model status of the first side that was not proved optimal (e.g. `timeLimit`). */
  readonly status: string;
  /** HiGHS's lower bound on `objective`, summed over the sides (currency). */
  readonly bound: number;
}

/** Long-only weights whose sum is further than this from 1 are normalised with a warning. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

interface Asset {
  readonly ticker: string;
  readonly weight: number;
  readonly price: number;
  readonly lotSize: number;
}

interface Side {
  readonly side: 'long' | 'short';
  /** Indices into the ordered assets, in the side's processing order. */
  readonly members: readonly number[];
  readonly problem: LotProblem;
}

interface Prepared {
  readonly budget: number;
  readonly assets: readonly Asset[];
  readonly sides: readonly Side[];
  readonly warnings: readonly string[];
}

/**
 * Whole shares by PyPortfolioOpt's greedy rule. Per side with budget `B_s`, side targets `t_i` and lot costs `c_i`
 * (see the module for sides): first `floor(t_i B_s / c_i)` lots of each asset in order of descending weight; then,
 * one lot at a time, the affordable asset whose target exceeds its weight in the money invested so far by the most
 * (first in order on ties), until no asset is affordable or every affordable one is at or above its target.
 * Deviation from PyPortfolioOpt 1.5: it stops searching after 10 unaffordable assets in a step; this never does.
 * `budget` is in currency; weights are fractions; returns shares, leftover cash and the achieved weights and errors.
 * Throws ValidationError for unusable input (see `allocateExact`).
 */
export function allocateGreedy(
  weights: TickerValues,
  prices: TickerValues,
  budget: number,
  options: AllocationOptions = {},
): ShareAllocation {
  const prepared = prepare(weights, prices, budget, options);
  const lots = prepared.sides.map((side) => greedyLots(side.problem));
  return report('greedy', prepared, lots, []);
}

/**
 * Whole shares minimising PyPortfolioOpt's `lp_portfolio` objective, per side with budget `B_s`, side targets `t_i`,
 * lot costs `c_i` and integer lots `x_i >= 0`:
 *
 *     minimise  sum_i |t_i B_s - c_i x_i| + r   subject to   sum_i c_i x_i + r = B_s,   r >= 0
 *
 * (currency), written for HiGHS as a MILP with `u_i >= |t_i B_s - c_i x_i|`, and solved to a zero relative gap by
 * default (see `solveLotMilp` for the bounds that keep spare cash out of over-weight assets without changing the
 * optimum). HiGHS is given the greedy allocation as its first incumbent, so a solve stopped by `timeLimit` returns an
 * allocation at least as good as the greedy one in this objective, with `optimal: false`, HiGHS's status and a
 * warning. The reported `objective` is
 * recomputed from the whole lots. Throws ValidationError for NaN or infinite weights, negative weights without
 * `allowShorts`, weights summing to zero, a ticker without a price, non-positive prices or budget, lot sizes that are
 * not positive integers and invalid options; PfoptError when HiGHS ends without a usable allocation.
 */
export async function allocateExact(
  weights: TickerValues,
  prices: TickerValues,
  budget: number,
  options: ExactAllocationOptions = {},
): Promise<ExactShareAllocation> {
  const prepared = prepare(weights, prices, budget, options);
  const timeLimit = options.timeLimit ?? Number.POSITIVE_INFINITY;
  if (typeof timeLimit !== 'number' || !(timeLimit > 0)) {
    throw new ValidationError(`timeLimit is ${show(timeLimit)}: it must be a positive number of seconds`);
  }
  const relativeGap = options.relativeGap ?? 0;
  if (typeof relativeGap !== 'number' || !(relativeGap >= 0 && relativeGap <= 1)) {
    throw new ValidationError(`relativeGap is ${show(relativeGap)}: it must be a fraction between 0 and 1`);
  }
  const absoluteGap = options.absoluteGap ?? 1e-6;
  if (typeof absoluteGap !== 'number' || !(absoluteGap >= 0 && Number.isFinite(absoluteGap))) {
    throw new ValidationError(`absoluteGap is ${show(absoluteGap)}: it must be a finite amount >= 0`);
  }
  const highs = await loadHighs();
  const lots: Float64Array[] = [];
  const warnings: string[] = [];
  let status = 'optimal';
  let bound = 0;
  for (const side of prepared.sides) {
    const solution = solveLotMilp(
      highs,
      side.problem,
      { timeLimit, relativeGap, absoluteGap },
      greedyLots(side.problem),
    );
    lots.push(solution.lots);
    bound += solution.bound;
    if (!solution.optimal) {
      if (status === 'optimal') status = solution.status;
      warnings.push(
        `${sidePrefix(prepared, side)}HiGHS stopped with status ${solution.status} before proving the allocation ` +
          `optimal (objective bound ${solution.bound}); a longer timeLimit may reach the optimum`,
      );
    }
  }
  const result = report('exact', prepared, lots, warnings);
  return { ...result, method: 'exact', optimal: status === 'optimal', status, bound };
}

function show(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}

function entriesOf(values: TickerValues): [string, number][] {
  return values instanceof Map ? [...values.entries()] : Object.entries(values);
}

function lookup(values: TickerValues | undefined, ticker: string): number | undefined {
  if (values === undefined) return undefined;
  if (values instanceof Map) return values.get(ticker);
  const record = values as Readonly<Record<string, number>>;
  return Object.hasOwn(record, ticker) ? record[ticker] : undefined;
}

function byWeightThenTicker(a: { ticker: string; weight: number }, b: { ticker: string; weight: number }): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0;
}

/** Left-to-right sum. */
function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function sidePrefix(prepared: Prepared, side: Side): string {
  return prepared.sides.length > 1 ? `${side.side} side: ` : '';
}

/** Validates the inputs and splits them into sides (see the module comment). */
function prepare(weights: TickerValues, prices: TickerValues, budget: number, options: AllocationOptions): Prepared {
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) {
    throw new ValidationError(`budget is ${show(budget)}: it must be a finite positive amount of cash`);
  }
  const allowShorts = options.allowShorts ?? false;
  if (!allowShorts && (options.shortRatio !== undefined || options.reinvest !== undefined)) {
    throw new ValidationError('shortRatio and reinvest apply to long-short allocations: pass allowShorts: true');
  }
  const entries = entriesOf(weights);
  if (entries.length === 0) throw new ValidationError('no weights were given: give at least one ticker and weight');
  for (const [ticker, size] of options.lotSizes === undefined ? [] : entriesOf(options.lotSizes)) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
      throw new ValidationError(
        `lot size of ${JSON.stringify(ticker)} is ${show(size)}: lot sizes must be positive whole numbers of shares`,
      );
    }
  }
  const assets: Asset[] = entries.map(([ticker, weight]) => {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new ValidationError(
        `weight of ${JSON.stringify(ticker)} is ${show(weight)}: every weight must be a finite number`,
      );
    }
    if (weight < 0 && !allowShorts) {
      throw new ValidationError(
        `weight of ${JSON.stringify(ticker)} is ${weight}: a long-only allocation needs non-negative weights ` +
          '(pass allowShorts: true to allocate negative weights as shorts)',
      );
    }
    const price = lookup(prices, ticker);
    if (price === undefined) {
      throw new ValidationError(`no price for ${JSON.stringify(ticker)}: give a price for every ticker of the weights`);
    }
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
      throw new ValidationError(
        `price of ${JSON.stringify(ticker)} is ${show(price)}: prices must be finite and positive`,
      );
    }
    const lotSize = lookup(options.lotSizes, ticker) ?? 1;
    if (!Number.isFinite(price * lotSize)) {
      throw new ValidationError(`a lot of ${JSON.stringify(ticker)} costs ${price * lotSize}: too large to allocate`);
    }
    return { ticker, weight: weight === 0 ? 0 : weight, price, lotSize };
  });
  assets.sort(byWeightThenTicker);
  const warnings: string[] = [];
  const shorts = allowShorts ? assets.flatMap((a, i) => (a.weight < 0 ? [i] : [])) : [];

  const makeSide = (side: 'long' | 'short', members: number[], targets: number[], sideBudget: number): Side => {
    const lotCosts = Float64Array.from(members, (i) => (assets[i] as Asset).price * (assets[i] as Asset).lotSize);
    let cheapest = -1;
    for (let k = 0; k < members.length; k++) {
      if ((targets[k] as number) > 0 && (cheapest < 0 || (lotCosts[k] as number) < (lotCosts[cheapest] as number))) {
        cheapest = k;
      }
    }
    if (cheapest >= 0 && sideBudget < (lotCosts[cheapest] as number)) {
      const ticker = (assets[members[cheapest] as number] as Asset).ticker;
      warnings.push(
        `${shorts.length > 0 ? `${side} side: ` : ''}the budget of ${sideBudget} cannot buy one lot of any asset ` +
          `with a target weight (the cheapest, ${JSON.stringify(ticker)}, costs ${lotCosts[cheapest]} a lot): ` +
          'nothing is bought and all of it is left over',
      );
    }
    return { side, members, problem: { targets: Float64Array.from(targets), lotCosts, budget: sideBudget } };
  };

  if (shorts.length === 0) {
    const total = sum(assets.map((a) => a.weight));
    if (!(total > 0)) {
      throw new ValidationError('the weights sum to 0: at least one weight must be positive');
    }
    if (Math.abs(total - 1) > WEIGHT_SUM_TOLERANCE) {
      warnings.push(`the weights sum to ${total}, not 1: each was divided by the sum`);
    }
    const members = assets.map((_, i) => i);
    const side = makeSide(
      'long',
      members,
      assets.map((a) => a.weight / total),
      budget,
    );
    return { budget, assets, sides: [side], warnings };
  }

  const longs = assets.flatMap((a, i) => (a.weight >= 0 ? [i] : []));
  const longTotal = sum(longs.map((i) => (assets[i] as Asset).weight));
  if (!(longTotal > 0)) {
    throw new ValidationError('a long-short allocation needs at least one positive weight');
  }
  // The short side in order of descending magnitude, ties by ticker.
  const shortOrder = shorts
    .map((i) => ({ i, ticker: (assets[i] as Asset).ticker, weight: -(assets[i] as Asset).weight }))
    .sort(byWeightThenTicker)
    .map((s) => s.i);
  const shortTotal = sum(shortOrder.map((i) => -(assets[i] as Asset).weight));
  const shortRatio = options.shortRatio ?? shortTotal;
  if (typeof shortRatio !== 'number' || !Number.isFinite(shortRatio) || shortRatio < 0) {
    throw new ValidationError(`shortRatio is ${show(shortRatio)}: it must be a finite fraction >= 0 of the budget`);
  }
  const shortBudget = budget * shortRatio;
  const longBudget = budget + (options.reinvest === true ? shortBudget : 0);
  return {
    budget,
    assets,
    sides: [
      makeSide(
        'long',
        longs,
        longs.map((i) => (assets[i] as Asset).weight / longTotal),
        longBudget,
      ),
      makeSide(
        'short',
        shortOrder,
        shortOrder.map((i) => -(assets[i] as Asset).weight / shortTotal),
        shortBudget,
      ),
    ],
    warnings,
  };
}

/** Shares, values, achieved weights, errors and objective of lots found per side. */
function report(
  method: 'greedy' | 'exact',
  prepared: Prepared,
  lotsBySide: readonly Float64Array[],
  extraWarnings: readonly string[],
): ShareAllocation {
  const { budget, assets } = prepared;
  const lots = new Float64Array(assets.length);
  const value = new Float64Array(assets.length);
  const target = new Float64Array(assets.length);
  const sides: AllocationSide[] = [];
  prepared.sides.forEach((side, s) => {
    const sideLots = lotsBySide[s] as Float64Array;
    const { targets, lotCosts, budget: sideBudget } = side.problem;
    const sign = side.side === 'short' ? -1 : 1;
    const invested = spentOn(sideLots, lotCosts);
    const leftover = Math.max(0, sideBudget - invested);
    let error = 0;
    side.members.forEach((i, k) => {
      const x = sideLots[k] as number;
      const c = lotCosts[k] as number;
      const t = targets[k] as number;
      error += Math.abs(t * sideBudget - x * c);
      // `+ 0` turns the -0 of an empty short into 0.
      lots[i] = sign * x + 0;
      value[i] = sign * x * c + 0;
      target[i] = (sign * t * sideBudget) / budget + 0;
    });
    sides.push({ side: side.side, budget: sideBudget, invested, leftover, objective: error + leftover });
  });
  const positions: AllocationPosition[] = assets.map((a, i) => ({
    ticker: a.ticker,
    targetWeight: target[i] as number,
    price: a.price,
    lotSize: a.lotSize,
    lots: lots[i] as number,
    shares: (lots[i] as number) * a.lotSize,
    value: value[i] as number,
    weight: (value[i] as number) / budget,
  }));
  const deviations = positions.map((p) => p.weight - p.targetWeight);
  return {
    method,
    budget,
    positions,
    shares: Object.fromEntries(positions.filter((p) => p.shares !== 0).map((p) => [p.ticker, p.shares])),
    leftover: sum(sides.map((s) => s.leftover)),
    objective: sum(sides.map((s) => s.objective)),
    absoluteError: sum(deviations.map(Math.abs)),
    rmse: Math.sqrt(sum(deviations.map((d) => d * d)) / deviations.length),
    sides,
    warnings: [...prepared.warnings, ...extraWarnings],
  };
}
