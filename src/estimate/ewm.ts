/**
 * Exponential weighting by span, as pandas `ewm(span=..., adjust=True)`: the observation k places before the last
 * has weight (1 - alpha)^k with alpha = 2 / (span + 1), and a weighted mean divides by the sum of the weights used.
 */

import { ValidationError } from '../core/errors.js';

/** Weights below this are treated as 0 (they cannot change a double-precision sum that includes weight 1). */
export const NEGLIGIBLE_WEIGHT = 2 ** -1000;

/** The decay factor `1 - alpha = 1 - 2 / (span + 1)` of a span; throws ValidationError unless span is a number >= 1. */
export function spanDecay(span: number): number {
  if (!Number.isFinite(span) || span < 1) {
    throw new ValidationError(`the span of an exponential weighting must be a number >= 1, got ${span}`);
  }
  return 1 - 2 / (span + 1);
}

/**
 * The exponentially weighted mean of the non-NaN values of `x[start .. start + length - 1]` at the last of them:
 * `sum_k q^k v_k / sum_k q^k`, v_0 the last non-NaN value, v_1 the one before, and so on (missing values skipped, so
 * weights follow the asset's own observations: pandas `ewm(...).mean()` of the series with NaNs dropped).
 */
export function ewmLast(x: Float64Array, start: number, length: number, decay: number): number {
  let num = 0;
  let den = 0;
  let w = 1;
  for (let i = start + length - 1; i >= start && w > 0; i--) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    num += w * v;
    den += w;
    w *= decay;
    if (w < NEGLIGIBLE_WEIGHT) w = 0;
  }
  return num / den;
}
