/**
 * The two O(n^3) kernels of the blocked Cholesky factorisation (cholesky-blocked.ts) in scalar JavaScript, and the
 * memory layout they share with their WebAssembly SIMD twins (cholesky-simd.ts).
 *
 * Layout, in doubles of one Float64Array (the "heap"): the working matrix W, rows in groups of four interleaved by
 * column. Group g (rows 4g .. 4g+3) starts at `g * stride` (`stride` = 4 x the padded column count); its value at
 * column c, lane l (row 4g + l) sits at `g * stride + 4c + l`. So a group's column is four consecutive values, a
 * panel of columns of a group is one contiguous run, and a 4 x 4 tile (columns 4J .. 4J+3 of group I) is sixteen
 * consecutive values. W starts as A's lower triangle and ends as L's; the upper triangle holds values nobody reads.
 *
 * Both kernels accumulate each entry in the same order as their SIMD twins (no fused multiply-add anywhere), so the
 * two paths give the same bits on the same input.
 */

/** The kernels of the blocked factorisation; every offset and stride is a count of doubles into `heap`. */
export interface CholeskyKernels {
  /**
   * A Float64Array over the kernels' memory with at least `doubles` values (contents unspecified), or undefined
   * when that much memory cannot be had.
   */
  heap(doubles: number): Float64Array | undefined;
  /**
   * For each of `groups` groups, the first at offset p and the next ones `stride` apart (p is the group's value at
   * the panel's first column), each lane's value at panel column j becomes
   * `(W[j] - sum_{k<j} W[k] * heap[lrow + 4k]) / divisor`, the products subtracted for k = 0, 1, ... in order;
   * `heap[lrow + 4k]` is L[j][k], panel row j's value at panel column k.
   */
  column(heap: Float64Array, p: number, groups: number, stride: number, j: number, lrow: number, divisor: number): void;
  /**
   * Rows `from` .. `to - 1` (in groups) of the symmetric rank-`depth` update of the trailing matrix by a panel of
   * `depth` columns: for every pair of groups i >= j with from <= i < to (`stride` apart, group i's panel at
   * `a + i * stride`), the 4 x 4 tile at `c + i * stride + 16 j` (rows of group i, the four columns matching group
   * j's rows) loses `sum_{k<depth} a_i[k] a_j[k]'`, each tile's products summed over k first and then subtracted.
   * Diagonal tiles are written whole: their entries above the diagonal receive values nobody reads.
   */
  syrk(heap: Float64Array, a: number, from: number, to: number, stride: number, depth: number, c: number): void;
}

/** The kernels in scalar JavaScript: the fallback where WebAssembly SIMD is missing, and the `simd: false` path. */
export const scalarKernels: CholeskyKernels = {
  heap: (doubles) => new Float64Array(doubles),
  column: scalarColumn,
  syrk: scalarSyrk,
};

/** `CholeskyKernels.column` with the four lanes of a group as four running sums. */
function scalarColumn(
  heap: Float64Array,
  p: number,
  groups: number,
  stride: number,
  j: number,
  lrow: number,
  divisor: number,
): void {
  const end = p + groups * stride;
  const jo = 4 * j;
  for (let g = p; g < end; g += stride) {
    const o = g + jo;
    let r0 = heap[o] as number;
    let r1 = heap[o + 1] as number;
    let r2 = heap[o + 2] as number;
    let r3 = heap[o + 3] as number;
    for (let k = 0; k < jo; k += 4) {
      const x = heap[lrow + k] as number;
      r0 -= (heap[g + k] as number) * x;
      r1 -= (heap[g + k + 1] as number) * x;
      r2 -= (heap[g + k + 2] as number) * x;
      r3 -= (heap[g + k + 3] as number) * x;
    }
    heap[o] = r0 / divisor;
    heap[o + 1] = r1 / divisor;
    heap[o + 2] = r2 / divisor;
    heap[o + 3] = r3 / divisor;
  }
}

/**
 * `CholeskyKernels.syrk`, each 4 x 4 tile as two register blocks of two columns by four rows (eight sums fit the
 * FP registers with their operands).
 */
function scalarSyrk(
  heap: Float64Array,
  a: number,
  from: number,
  to: number,
  stride: number,
  depth: number,
  c: number,
): void {
  const kEnd = 4 * depth;
  for (let gi = from; gi < to; gi++) {
    const ai = a + gi * stride;
    const ci = c + gi * stride;
    for (let gj = 0; gj <= gi; gj++) {
      const aj = a + gj * stride;
      const tile = ci + 16 * gj;
      for (let half = 0; half < 4; half += 2) {
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let k = 0; k < kEnd; k += 4) {
          const y0 = heap[aj + k + half] as number;
          const y1 = heap[aj + k + half + 1] as number;
          const x0 = heap[ai + k] as number;
          const x1 = heap[ai + k + 1] as number;
          const x2 = heap[ai + k + 2] as number;
          const x3 = heap[ai + k + 3] as number;
          s00 += y0 * x0;
          s01 += y0 * x1;
          s02 += y0 * x2;
          s03 += y0 * x3;
          s10 += y1 * x0;
          s11 += y1 * x1;
          s12 += y1 * x2;
          s13 += y1 * x3;
        }
        const t0 = tile + 4 * half;
        heap[t0] = (heap[t0] as number) - s00;
        heap[t0 + 1] = (heap[t0 + 1] as number) - s01;
        heap[t0 + 2] = (heap[t0 + 2] as number) - s02;
        heap[t0 + 3] = (heap[t0 + 3] as number) - s03;
        heap[t0 + 4] = (heap[t0 + 4] as number) - s10;
        heap[t0 + 5] = (heap[t0 + 5] as number) - s11;
        heap[t0 + 6] = (heap[t0 + 6] as number) - s12;
        heap[t0 + 7] = (heap[t0 + 7] as number) - s13;
      }
    }
  }
}
