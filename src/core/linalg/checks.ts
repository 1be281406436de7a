/**
 * Argument checks shared by the dense kernels.
 */

import { ValidationError } from '../errors.js';

/** Throws ValidationError unless n is a whole number >= 0 and a holds exactly n x n values. */
export function checkSquare(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new ValidationError(`${what}: an ${n} x ${n} matrix needs ${n * n} values, got ${a.length}`);
  }
}

/** Throws ValidationError unless the vector b has n values. */
export function checkLength(b: ArrayLike<number>, n: number, what: string): void {
  if (b.length !== n) throw new ValidationError(`${what}: the vector has ${b.length} values for size ${n}`);
}
