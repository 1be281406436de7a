/**
 * The backtest engine: a walk forward through the price index that rebalances each strategy on its dates, books
 * trades and costs, and records the NAV, cash, holdings and weights of every date.
 *
 * Conventions (the README's "Backtesting" section states them for users; the tests pin them):
 * - Rebalancing dates come from `rebalanceRows` (schedule.ts): the last date of each period, never the final date of
 *   the index, from the first date with at least `lookback` returns. With a drift threshold X, any later date (but the
 *   final one) where some weight differs from its target by more than X is a rebalancing date too.
 * - The simulation starts on the first rebalancing date with all the capital (default 1) in cash. On a rebalancing
 *   date d the strategy sees prices up to and including d and trades at d's close (or, with `execution:
 *   'next-close'`, at the close of the next date, with the weights drifted to then).
 * - Trading at a date with NAV V (before trading) from drifted weights d_i to targets e_i costs
 *   `C = sum_i c_i(|e_i - d_i| V)` with c the per-trade commission and slippage of costs.ts (with only `costBps`:
 *   `C = costBps / 10^4 * sum |e_i - d_i| * V`); C is taken from the NAV and `V - C` is invested at the targets. On
 *   the first date every d_i is 0. With whole shares, holdings are `trunc(e_i (V - C) / p_i)` shares, the costs are
 *   those of the actual share changes and the rest stays in cash.
 * - An asset without a price on a date is valued at its last price and is not traded that day: it keeps its shares
 *   and its drifted weight d_i; the other targets are scaled by `(sum_T w + sum_F (w - d)) / sum_T w` (T the tradable
 *   assets, F the others) so that the frozen asset's surplus or shortfall is spread over them and the cash target is
 *   kept.
 * - An asset that stops trading (no price after its last one, before the index ends) is sold at its last price on
 *   the next date, with costs and a warning in the results.
 * - Between rebalancing dates the holdings are constant in shares; cash earns the risk-free rate when one is given
 *   (`(1 + rf)^(1/P) - 1` per period, with the annual rate known on the previous date).
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError, PfoptError, ValidationError } from '../core/errors.js';
import { type CostOptions, tradeCost, validateCosts } from './costs.js';
import { executeTrades } from './execution.js';
import { cashReturns, volumeLookup } from './market-inputs.js';
import { type RebalanceFrequency, rebalanceRows } from './schedule.js';
import { type Strategy, type StrategyContext, weightVector } from './strategy.js';

/** Options of a backtest. */
export interface BacktestOptions {
  /** Calendar rebalancing frequency; default 'monthly'. */
  readonly rebalance?: RebalanceFrequency;
  /** Rebalance also when a weight drifts more than this from its target (a fraction, 0.05 is 5 points). */
  readonly driftThreshold?: number;
  /** Returns in the estimation window, and the history needed before the first rebalance; default 0. */
  readonly lookback?: number;
  /** 'rolling' (default): the last `lookback` returns; 'expanding': every return up to the date. */
  readonly window?: 'rolling' | 'expanding';
  /** 'close' (default): trade at the rebalancing date's close; 'next-close': at the next date's close. */
  readonly execution?: 'close' | 'next-close';
  /** Commission, fees and slippage; all 0 by default. */
  readonly costs?: CostOptions;
  /** Initial capital in currency units; default 1 (the NAV is then a growth factor). */
  readonly capital?: number;
  /** Hold whole shares only (the rest in cash); default false (fractional shares). */
  readonly wholeShares?: boolean;
  /**
   * Interest on cash: an annual rate (0.02 is 2%) or a one-column matrix of annual rates by date (the last rate
   * dated on or before each date applies); default none (cash earns nothing).
   */
  readonly cashRate?: number | DatedMatrix;
  /** Periods per year of the prices; default the matrix's. */
  readonly periodsPerYear?: number;
  /** Called after each simulated date: dates done and in total (over every strategy of the run). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One trade of the ledger. */
export interface Trade {
  /** Day number and ISO date of the trade. */
  readonly date: number;
  readonly isoDate: string;
  readonly ticker: string;
  /** Shares bought (> 0) or sold (< 0). */
  readonly shares: number;
  /** Execution price (the close). */
  readonly price: number;
  /** `shares * price` (negative for a sale). */
  readonly value: number;
  /** Commission plus slippage. */
  readonly cost: number;
  readonly commission: number;
  readonly slippage: number;
  readonly reason: 'rebalance' | 'delisted';
}

/** One rebalance. */
export interface Rebalance {
  /** Date the strategy decided (its data end there) and date of the trades. */
  readonly decisionDate: number;
  readonly date: number;
  readonly trigger: 'first' | 'calendar' | 'drift';
  /** NAV just before and just after trading. */
  readonly navBefore: number;
  readonly navAfter: number;
  /** `sum |e_i - d_i|`, targets against drifted weights. */
  readonly turnover: number;
  /** Costs of the rebalance. */
  readonly cost: number;
}

/** The simulation of one strategy. */
export interface Simulation {
  readonly name: string;
  /** Dates of the NAV series: from the first rebalancing date to the index's end. */
  readonly dates: Int32Array;
  /** NAV after trading on each date (currency units; the first value is the capital less the first costs). */
  readonly nav: Float64Array;
  /** Cash on each date. */
  readonly cash: Float64Array;
  /** Shares held after trading on each date (dates x tickers). */
  readonly shares: DatedMatrix;
  /** Weights after trading on each date: holdings at their (last) price over the NAV (dates x tickers). */
  readonly weights: DatedMatrix;
  /** `cash / NAV` on each date. */
  readonly cashWeights: Float64Array;
  readonly trades: readonly Trade[];
  readonly rebalances: readonly Rebalance[];
  /** Sum of the rebalances' turnover. */
  readonly turnover: number;
  /** Sum of every trade's cost (the ledger's total). */
  readonly costs: number;
  readonly warnings: readonly string[];
}

/** Validated options with their defaults. */
interface Settings {
  readonly frequency: RebalanceFrequency;
  readonly drift: number | undefined;
  readonly lookback: number;
  readonly expanding: boolean;
  readonly nextClose: boolean;
  readonly costs: CostOptions;
  readonly capital: number;
  readonly wholeShares: boolean;
  readonly periodsPerYear: number;
}

function settingsOf(prices: DatedMatrix, o: BacktestOptions): Settings {
  const lookback = o.lookback ?? 0;
  if (!Number.isInteger(lookback) || lookback < 0) {
    throw new ValidationError(`the lookback must be a whole number of returns >= 0, got ${lookback}`);
  }
  if (o.driftThreshold !== undefined && !(Number.isFinite(o.driftThreshold) && o.driftThreshold > 0)) {
    throw new ValidationError(`the drift threshold must be a number > 0 (0.05 is 5 points), got ${o.driftThreshold}`);
  }
  const capital = o.capital ?? 1;
  if (!(Number.isFinite(capital) && capital > 0)) {
    throw new ValidationError(`the initial capital must be a positive number, got ${capital}`);
  }
  if (o.window !== undefined && o.window !== 'rolling' && o.window !== 'expanding') {
    throw new ValidationError(`the window must be rolling or expanding, got ${JSON.stringify(o.window)}`);
  }
  if (o.execution !== undefined && o.execution !== 'close' && o.execution !== 'next-close') {
    throw new ValidationError(`execution must be close or next-close, got ${JSON.stringify(o.execution)}`);
  }
  validateCosts(o.costs ?? {});
  return {
    frequency: o.rebalance ?? 'monthly',
    drift: o.driftThreshold,
    lookback,
    expanding: o.window === 'expanding',
    nextClose: o.execution === 'next-close',
    costs: o.costs ?? {},
    capital,
    wholeShares: o.wholeShares === true,
    periodsPerYear: o.periodsPerYear ?? prices.periodsPerYear,
  };
}

/**
 * Runs strategies over `prices` (dates x tickers, NaN = no price) and returns one simulation each. Throws
 * ValidationError for invalid options or target weights, DataError when no date qualifies for a first rebalance.
 */
export async function simulate(
  prices: DatedMatrix,
  strategies: readonly Strategy[],
  options: BacktestOptions = {},
): Promise<Simulation[]> {
  const s = settingsOf(prices, options);
  const data = prices.withPeriodsPerYear(s.periodsPerYear);
  const calendar = rebalanceRows(data.dates, s.frequency, s.lookback);
  if (calendar.length === 0) {
    throw new DataError(
      `no rebalancing date: the prices (${data.rowCount} dates) have no ${s.frequency} period end with at least ` +
        `${s.lookback} returns before the last date; load a longer history or shorten the lookback`,
    );
  }
  const cashReturn = cashReturns(data, options.cashRate, s.periodsPerYear);
  const participation = volumeLookup(data, s.costs);
  const total = (data.rowCount - (calendar[0] as number)) * strategies.length;
  const out: Simulation[] = [];
  for (let k = 0; k < strategies.length; k++) {
    const strategy = strategies[k] as Strategy;
    const offset = k * (data.rowCount - (calendar[0] as number));
    out.push(
      await simulateOne(data, strategy, s, calendar, cashReturn, participation, (done) =>
        options.onProgress?.(offset + done, total),
      ),
    );
  }
  return out;
}

async function simulateOne(
  prices: DatedMatrix,
  strategy: Strategy,
  s: Settings,
  calendar: Int32Array,
  cashReturn: Float64Array,
  participation: (row: number, j: number, shares: number) => number,
  progress: (done: number) => void,
): Promise<Simulation> {
  const n = prices.rowCount;
  const m = prices.columnCount;
  const P = prices.values;
  const tickers = prices.tickers;
  const start = calendar[0] as number;
  const rows = n - start;
  const isCalendar = new Uint8Array(n);
  for (const r of calendar) isCalendar[r] = 1;
  const lastValid = Int32Array.from({ length: m }, (_, j) => prices.lastValidRow(j));
  // Last known price of each asset (valuation only), as of the start.
  const mark = new Float64Array(m).fill(Number.NaN);
  for (let j = 0; j < m; j++) {
    for (let i = start; i >= 0; i--) {
      const p = P[j * n + i] as number;
      if (!Number.isNaN(p)) {
        mark[j] = p;
        break;
      }
    }
  }
  const shares = new Float64Array(m);
  let cash = s.capital;
  const nav = new Float64Array(rows);
  const cashOut = new Float64Array(rows);
  const sharesOut = new Float64Array(rows * m);
  const weightsOut = new Float64Array(rows * m);
  const cashWeights = new Float64Array(rows);
  const trades: Trade[] = [];
  const rebalances: Rebalance[] = [];
  const warnings: string[] = [];
  let target: Float64Array | undefined;
  let pending: { weights: Float64Array; decision: number; trigger: Rebalance['trigger'] } | undefined;
  let costs = 0;
  let turnover = 0;

  const holdingsValue = (): number => {
    let v = 0;
    for (let j = 0; j < m; j++) if (shares[j] !== 0) v += (shares[j] as number) * (mark[j] as number);
    return v;
  };
  const isoOf = { date: Number.NaN, text: '' };
  const book = (
    t: number,
    j: number,
    delta: number,
    price: number,
    commission: number,
    slippage: number,
    reason: Trade['reason'],
  ): void => {
    const date = prices.dates[t] as number;
    if (isoOf.date !== date) {
      isoOf.date = date;
      isoOf.text = isoDate(date);
    }
    trades.push({
      date,
      isoDate: isoOf.text,
      ticker: tickers[j] as string,
      shares: delta,
      price,
      value: delta * price,
      cost: commission + slippage,
      commission,
      slippage,
      reason,
    });
  };

  /** Trades at row t's close from the drifted holdings to `w` (execution.ts), then books the trades. */
  const execute = (t: number, w: Float64Array, decision: number, trigger: Rebalance['trigger']): void => {
    const navBefore = cash + holdingsValue();
    if (!(navBefore > 0)) {
      warnings.push(`${isoDate(prices.dates[t] as number)}: no rebalance, the NAV is ${navBefore}`);
      return;
    }
    const price = Float64Array.from({ length: m }, (_, j) => P[j * n + t] as number);
    const before = shares.slice();
    const x = executeTrades({ shares, mark, navBefore }, w, price, s.costs, s.wholeShares, (j, q) =>
      participation(t, j, q),
    );
    cash = x.cash;
    for (let j = 0; j < m; j++) {
      if (Number.isNaN(price[j] as number)) continue;
      const delta = (shares[j] as number) - (before[j] as number);
      if (delta !== 0 || x.commission[j] !== 0 || x.slippage[j] !== 0) {
        book(t, j, delta, price[j] as number, x.commission[j] as number, x.slippage[j] as number, 'rebalance');
      }
    }
    costs += x.cost;
    turnover += x.turnover;
    rebalances.push({
      decisionDate: prices.dates[decision] as number,
      date: prices.dates[t] as number,
      trigger,
      navBefore,
      navAfter: cash + holdingsValue(),
      turnover: x.turnover,
      cost: x.cost,
    });
  };

  const context = (t: number, first: boolean): StrategyContext => {
    const lo = s.expanding ? 0 : Math.max(0, t - s.lookback);
    let window: DatedMatrix | undefined;
    let history: DatedMatrix | undefined;
    const current = new Float64Array(m);
    const v = cash + holdingsValue();
    for (let j = 0; j < m; j++)
      current[j] = shares[j] === 0 || !(v > 0) ? 0 : ((shares[j] as number) * (mark[j] as number)) / v;
    return {
      row: t,
      date: prices.dates[t] as number,
      isoDate: isoDate(prices.dates[t] as number),
      tickers,
      get window() {
        window ??= prices.selectRows(Int32Array.from({ length: t - lo + 1 }, (_, k) => lo + k));
        return window;
      },
      get history() {
        history ??= prices.selectRows(Int32Array.from({ length: t + 1 }, (_, k) => k));
        return history;
      },
      prices: Float64Array.from({ length: m }, (_, j) => P[j * n + t] as number),
      currentWeights: current,
      lookback: s.lookback,
      first,
      warn: (message) => {
        warnings.push(`${isoDate(prices.dates[t] as number)}: ${message}`);
      },
    };
  };

  for (let t = start; t < n; t++) {
    // 1. Mark to market and accrue interest on cash.
    if (t > start) {
      cash *= 1 + (cashReturn[t] as number);
      for (let j = 0; j < m; j++) {
        const p = P[j * n + t] as number;
        if (!Number.isNaN(p)) mark[j] = p;
      }
    }
    // 2. Sell what stopped trading on the previous date, at its last price.
    for (let j = 0; j < m; j++) {
      if (shares[j] === 0 || lastValid[j] !== t - 1) continue;
      const q = shares[j] as number;
      const price = mark[j] as number;
      const c = tradeCost(s.costs, Math.abs(q) * price, participation(t - 1, j, q));
      shares[j] = 0;
      cash += q * price - c.commission - c.slippage;
      costs += c.commission + c.slippage;
      book(t, j, -q, price, c.commission, c.slippage, 'delisted');
      warnings.push(
        `${tickers[j]} has no price after ${isoDate(prices.dates[t - 1] as number)}: sold ${q} shares at its last ` +
          `price ${price} on ${isoDate(prices.dates[t] as number)}`,
      );
    }
    // 3. Trades decided on the previous date (next-close execution).
    if (pending !== undefined) {
      execute(t, pending.weights, pending.decision, pending.trigger);
      pending = undefined;
    }
    // 4. Decide: calendar date, or drift beyond the threshold.
    let trigger: Rebalance['trigger'] | undefined;
    if (t === start) trigger = 'first';
    else if (isCalendar[t] === 1) trigger = 'calendar';
    else if (s.drift !== undefined && target !== undefined && t < n - 1 && drifted(t)) trigger = 'drift';
    if (trigger !== undefined) {
      let raw: Awaited<ReturnType<Strategy['weights']>>;
      try {
        raw = await strategy.weights(context(t, t === start));
      } catch (error) {
        // Say which strategy failed on which date (the error keeps its class, hence its exit code).
        if (error instanceof PfoptError)
          error.message = `${strategy.name} on ${isoDate(prices.dates[t] as number)}: ${error.message}`;
        throw error;
      }
      if (raw !== null) {
        const w = weightVector(raw, tickers, strategy.name);
        target = w;
        if (s.nextClose) pending = { weights: w, decision: t, trigger };
        else execute(t, w, t, trigger);
      }
    }
    // 5. Record the date.
    const r = t - start;
    const value = cash + holdingsValue();
    nav[r] = value;
    cashOut[r] = cash;
    cashWeights[r] = cash / value;
    for (let j = 0; j < m; j++) {
      const q = shares[j] as number;
      sharesOut[j * rows + r] = q;
      weightsOut[j * rows + r] = q === 0 ? 0 : (q * (mark[j] as number)) / value;
    }
    progress(r + 1);
  }

  function drifted(t: number): boolean {
    const v = cash + holdingsValue();
    if (!(v > 0) || target === undefined) return false;
    for (let j = 0; j < m; j++) {
      const w = shares[j] === 0 ? 0 : ((shares[j] as number) * (mark[j] as number)) / v;
      if (Math.abs(w - (target[j] as number)) > (s.drift as number) && !Number.isNaN(P[j * n + t] as number))
        return true;
    }
    return false;
  }

  const dates = prices.dates.slice(start);
  return {
    name: strategy.name,
    dates,
    nav,
    cash: cashOut,
    shares: new DatedMatrix(dates, tickers, sharesOut, { periodsPerYear: s.periodsPerYear }),
    weights: new DatedMatrix(dates.slice(), tickers, weightsOut, { periodsPerYear: s.periodsPerYear }),
    cashWeights,
    trades,
    rebalances,
    turnover,
    costs,
    warnings,
  };
}
