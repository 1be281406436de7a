/**
 * The interface between a linear risk measure (CVaR, CDaR, MAD) and the program builder: each measure declares its
 * scenario rows, writes the weight columns' entries in them, and adds its auxiliary columns, so that the measure of
 * the weights equals the minimum over the auxiliary columns of a linear expression in them.
 */

import type { ColumnModel } from './lp.js';

/** A linear risk measure as an LP block. */
export interface LinearMeasure {
  /** Short name for messages and notes: 'CVaR', 'CDaR' or 'MAD'. */
  readonly name: 'CVaR' | 'CDaR' | 'MAD';
  /** How it is described in messages, e.g. "CVaR at 95%". */
  readonly label: string;
  /** Non-zeros the block adds (to size the model). */
  readonly nonzeros: number;
  /** Declares the block's rows (before any column). */
  declareRows(model: ColumnModel): void;
  /** Writes the entries of weight column j (asset j) in the block's rows. */
  weightEntries(model: ColumnModel, j: number): void;
  /**
   * Adds the auxiliary columns. Each gets cost `costScale * c` and coefficient `c` in `capRow` (when >= 0), where the
   * measure is sum c x over the auxiliary columns at their optimum.
   */
  addAuxiliary(model: ColumnModel, costScale: number, capRow: number): void;
  /** The measure of the portfolio returns x_t (per period), computed directly. */
  value(portfolioReturns: Float64Array): number;
}
