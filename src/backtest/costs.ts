/**
 * Trading costs of a backtest: a commission in basis points of the traded value plus an optional fixed fee per trade
 * and a minimum commission per trade, and slippage as fixed basis points or as a function of the participation in
 * the day's volume. Amounts are in the currency of the NAV (the initial capital, 1 by default).
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';

/** Slippage that grows with the share of the day's volume traded. */
export interface VolumeSlippage {
  /** Daily traded volumes in shares, dates x tickers (the price matrix's tickers; dates matched exactly). */
  readonly volumes: DatedMatrix;
  /** Slippage in basis points at 100% participation. */
  readonly coefficientBps: number;
  /** Exponent a of the participation (default 0.5, the square-root impact law). */
  readonly exponent?: number;
}

/** Cost settings; every default is 0. */
export interface CostOptions {
  /** Commission in basis points of the traded value (10 is 0.1%). */
  readonly costBps?: number;
  /** Fixed fee per trade (one ticker traded on one date), in NAV currency units. */
  readonly fixedFee?: number;
  /** Minimum commission per trade, in NAV currency units (the commission is never below it). */
  readonly minimumFee?: number;
  /** Slippage in basis points of the traded value, used when no volume is known for the trade. */
  readonly slippageBps?: number;
  /** Slippage by participation in volume, for the trades whose ticker has a volume on the date. */
  readonly volumeSlippage?: VolumeSlippage;
}

/** The costs of one trade. */
export interface TradeCost {
  /** `max(minimumFee, costBps / 10^4 * value + fixedFee)`. */
  readonly commission: number;
  /** Slippage (see `tradeCost`). */
  readonly slippage: number;
}

/** Checks the cost settings: every number finite and >= 0. */
export function validateCosts(costs: CostOptions): void {
  const check = (value: number | undefined, what: string): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ValidationError(`${what} must be a number >= 0, got ${value}`);
    }
  };
  check(costs.costBps, 'the commission in basis points');
  check(costs.fixedFee, 'the fixed fee per trade');
  check(costs.minimumFee, 'the minimum commission per trade');
  check(costs.slippageBps, 'the slippage in basis points');
  if (costs.volumeSlippage !== undefined) {
    check(costs.volumeSlippage.coefficientBps, 'the volume slippage coefficient in basis points');
    check(costs.volumeSlippage.exponent, 'the volume slippage exponent');
  }
}

/**
 * Costs of one trade of traded value `value` (currency, >= 0): the commission `max(m, c / 10^4 * value + f)` with c
 * the commission in basis points, f the fixed fee and m the minimum; and the slippage `s / 10^4 * value`, where s is
 * `slippageBps` or, when `participation` (traded shares / the day's volume, a fraction) is a finite number,
 * `coefficientBps * participation^exponent` of the volume model. A zero value costs nothing.
 */
export function tradeCost(costs: CostOptions, value: number, participation: number): TradeCost {
  if (value === 0) return { commission: 0, slippage: 0 };
  const commission = Math.max(costs.minimumFee ?? 0, ((costs.costBps ?? 0) / 10_000) * value + (costs.fixedFee ?? 0));
  const model = costs.volumeSlippage;
  const bps =
    model !== undefined && Number.isFinite(participation)
      ? model.coefficientBps * participation ** (model.exponent ?? 0.5)
      : (costs.slippageBps ?? 0);
  return { commission, slippage: (bps / 10_000) * value };
}
