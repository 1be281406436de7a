/**
 * Dense linear-algebra kernels over Float64Array: Gram matrices, Cholesky factorisation and triangular solves,
 * symmetric eigendecomposition, and symmetric-matrix helpers. Matrices are row-major n x n arrays unless a function
 * says otherwise (`gram` reads a column-major data matrix, like DatedMatrix).
 */

export {
  type CholeskyOptions,
  cholesky,
  choleskySolve,
  NotPositiveDefiniteError,
  type SemidefiniteCholesky,
  type SemidefiniteCholeskyOptions,
  semidefiniteCholesky,
  tryCholesky,
} from './cholesky.js';
export { type SymmetricEigen, symmetricEigen, symmetricEigenvalues } from './eigen.js';
export { type GramOptions, gram } from './gram.js';
export { simdAvailable } from './gram-simd.js';
export { addOuterProduct, matVec, mirrorUpper, quadraticForm, symmetrize } from './symmetric.js';
export { solveLower, solveUpperTransposed } from './triangular.js';
