/**
 * Trading at one date's close: from the drifted holdings to target weights, with the costs of costs.ts, fractional or
 * whole shares, and the assets without a price that day kept as they are. The conventions are those of engine.ts.
 */

import { type CostOptions, tradeCost } from './costs.js';

/** The holdings before trading: shares, last known price of each asset (valuation), and the NAV they make. */
export interface HoldingsBefore {
  /** Shares per asset; updated in place to the holdings after trading. */
  readonly shares: Float64Array;
  /** Last known price per asset; updated in place to the trade prices of the traded assets. */
  readonly mark: Float64Array;
  /** Cash plus the holdings at `mark` (> 0). */
  readonly navBefore: number;
}

/** What a trade date did. */
export interface Execution {
  /** Cash after trading. */
  readonly cash: number;
  /** Total costs (commissions plus slippage). */
  readonly cost: number;
  /** `sum |e_i - d_i|`, effective targets against drifted weights. */
  readonly turnover: number;
  /** Commission and slippage per asset. */
  readonly commission: Float64Array;
  readonly slippage: Float64Array;
}

/**
 * Trades the holdings to the target weights `w` at the prices `price` (NaN: the asset has no price and is not
 * traded). With V the NAV before trading and d the drifted weights (shares * mark / V): an asset without a price keeps
 * its shares and its weight (e = d); the others get `e_i = w_i * (sum_T w + sum_F (w - d)) / sum_T w`; the cost is
 * the sum over traded assets of `tradeCost(|e_i - d_i| V)`; `V - cost` less the frozen holdings is shared by the
 * tradable assets in proportion to `e_i / (1 - sum_F d)` (the cash target `1 - sum w` keeps its share). With whole
 * shares the holdings are `trunc(e_i budget / p_i)` with the budget from the cost estimate above, and the costs those
 * of the actual share changes (the budget shrinks until the cash is not negative). `participation(j, shares)` gives
 * the share of the day's volume a trade takes (NaN when unknown).
 */
export function executeTrades(
  holdings: HoldingsBefore,
  w: Float64Array,
  price: Float64Array,
  costs: CostOptions,
  wholeShares: boolean,
  participation: (j: number, shares: number) => number,
): Execution {
  const { shares, mark, navBefore } = holdings;
  const m = shares.length;
  let cash = 0;
  const d = new Float64Array(m);
  const tradable = new Uint8Array(m);
  let sumTw = 0;
  let frozenTarget = 0;
  let frozenWeight = 0;
  let frozenValue = 0;
  for (let j = 0; j < m; j++) {
    d[j] = ((shares[j] as number) * (shares[j] === 0 ? 0 : (mark[j] as number))) / navBefore;
    if (!Number.isNaN(price[j] as number)) {
      tradable[j] = 1;
      sumTw += w[j] as number;
    } else {
      frozenTarget += w[j] as number;
      frozenWeight += d[j] as number;
      if (shares[j] !== 0) frozenValue += (shares[j] as number) * (mark[j] as number);
    }
  }
  const scale = sumTw !== 0 ? (sumTw + frozenTarget - frozenWeight) / sumTw : 0;
  const e = new Float64Array(m);
  let turn = 0;
  for (let j = 0; j < m; j++) {
    e[j] = tradable[j] === 1 ? (w[j] as number) * scale : (d[j] as number);
    turn += Math.abs((e[j] as number) - (d[j] as number));
  }
  // The tradable targets and the cash target share V - C less the frozen holdings: sum_T e + (1 - sum w) = 1 - sum_F d.
  const denominator = 1 - frozenWeight;
  const priceOf = (j: number): number => price[j] as number;
  const before = shares.slice();
  const commission = new Float64Array(m);
  const slippage = new Float64Array(m);
  let cost = 0;
  if (!wholeShares) {
    for (let j = 0; j < m; j++) {
      if (tradable[j] !== 1 || e[j] === d[j]) continue;
      const value = Math.abs((e[j] as number) - (d[j] as number)) * navBefore;
      const c = tradeCost(costs, value, participation(j, value / priceOf(j)));
      commission[j] = c.commission;
      slippage[j] = c.slippage;
      cost += c.commission + c.slippage;
    }
    const invest = navBefore - cost - frozenValue;
    let spent = 0;
    for (let j = 0; j < m; j++) {
      if (tradable[j] !== 1) continue;
      const dollars = denominator > 0 ? (invest * (e[j] as number)) / denominator : 0;
      shares[j] = dollars / priceOf(j);
      spent += dollars;
    }
    cash = navBefore - cost - frozenValue - spent;
  } else {
    // Whole shares: size on the convention's cost estimate, then pay the actual costs of the share changes.
    let estimate = 0;
    for (let j = 0; j < m; j++) {
      if (tradable[j] !== 1 || e[j] === d[j]) continue;
      const value = Math.abs((e[j] as number) - (d[j] as number)) * navBefore;
      const c = tradeCost(costs, value, participation(j, value / priceOf(j)));
      estimate += c.commission + c.slippage;
    }
    let budget = navBefore - estimate - frozenValue;
    for (let attempt = 0; attempt < 20; attempt++) {
      cost = 0;
      let held = frozenValue;
      for (let j = 0; j < m; j++) {
        if (tradable[j] !== 1) continue;
        const dollars = denominator > 0 ? (Math.max(budget, 0) * (e[j] as number)) / denominator : 0;
        shares[j] = Math.trunc(dollars / priceOf(j));
        const delta = (shares[j] as number) - (before[j] as number);
        const c = tradeCost(costs, Math.abs(delta) * priceOf(j), participation(j, delta));
        commission[j] = c.commission;
        slippage[j] = c.slippage;
        cost += c.commission + c.slippage;
        held += (shares[j] as number) * priceOf(j);
      }
      cash = navBefore - cost - held;
      if (cash >= 0 || budget <= 0) break;
      budget += cash * 1.000001 - 1e-9 * navBefore;
    }
  }
  for (let j = 0; j < m; j++) if (tradable[j] === 1) mark[j] = priceOf(j);
  return { cash, cost, turnover: turn, commission, slippage };
}
