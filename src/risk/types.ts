/**
 * Types shared by the risk modules.
 */

/**
 * Per-period asset returns: T rows (periods) x n columns (assets), column-major, no NaN. A DatedMatrix satisfies it,
 * for example the `assets` of `portfolioReturns`.
 */
export interface AssetReturnMatrix {
  readonly tickers: readonly string[];
  /** Column-major values: asset j on period t is `values[j * rowCount + t]` (fractions per period). */
  readonly values: Float64Array;
  readonly rowCount: number;
  readonly columnCount: number;
}
