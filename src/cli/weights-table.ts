/**
 * The weights table every optimizing command prints: the held assets (|weight| above 5e-7), largest weight first
 * (ties by ticker), weights in percent, with optional extra columns such as each asset's share of the risk.
 */

import { renderTable } from './table.js';
import type { Colors } from './terminal.js';

/** A fraction as a percentage with two decimals: 0.1234 -> "12.34%". */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** An extra column of the weights table: one value per ticker (in the tickers' order), shown in percent. */
export interface WeightsTableColumn {
  readonly header: string;
  readonly values: ArrayLike<number>;
}

/**
 * The aligned table `ticker | weight | extra columns...` of the held assets, largest weight first. Assets with
 * |weight| <= 5e-7 (zero to the table's 0.01% precision) are left out.
 */
export function weightsTable(
  tickers: readonly string[],
  weights: ArrayLike<number>,
  colors: Colors,
  extra: readonly WeightsTableColumn[] = [],
): string {
  const held = tickers
    .map((t, i) => ({ t, i, w: weights[i] as number }))
    .filter((x) => Math.abs(x.w) > 5e-7)
    .sort((a, b) => b.w - a.w || (a.t < b.t ? -1 : 1));
  return renderTable(
    [
      { header: 'ticker' },
      { header: 'weight', align: 'right' },
      ...extra.map((c) => ({ header: c.header, align: 'right' as const })),
    ],
    held.map((x) => [x.t, percent(x.w), ...extra.map((c) => percent(c.values[x.i] as number))]),
    colors,
  );
}
