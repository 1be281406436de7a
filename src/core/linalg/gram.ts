/**
 * The Gram matrix X'X of a column-major data matrix, blocked for the cache and for registers: the kernel behind
 * every covariance estimator.
 */

import { ValidationError } from '../errors.js';
import { packBlock, ROW_BLOCK, symmetricFromUpper } from './gram-pack.js';
import { gramSimd } from './gram-simd.js';

/** Columns per panel of the scalar kernel: a 3 x 3 tile (9 sums plus 3 + 3 operands) fits 16 FP registers. */
const PANEL = 3;

/** Options of `gram`. */
export interface GramOptions {
  /**
   * Use the WebAssembly SIMD kernel when the runtime supports it (default true); false forces the scalar
   * JavaScript kernel. Both give the same sums up to the last bit or so (same order of accumulation per entry).
   */
  readonly simd?: boolean;
}

/**
 * The Gram matrix `G = X'X`, `G[i][j] = sum_t x[t][i] * x[t][j]`, of a `rows x cols` matrix stored column-major
 * (`x[col * rows + row]`, each column contiguous, as in a DatedMatrix), returned as a full symmetric `cols x cols`
 * row-major Float64Array (both triangles written). Units: products of the units of x; no scaling is applied.
 *
 * Blocked: rows in blocks of 256, each block packed into panels of a few columns interleaved by row, then every pair
 * of panels (upper triangle only) accumulated as a register tile: 4 x 4 with WebAssembly SIMD (gram-simd.ts) when
 * available, else 3 x 3 in scalar JavaScript, so each value loaded feeds several multiply-adds. Each entry is summed
 * over a block of rows and the block sums are added in order, so the rounding differs from a plain left-to-right sum
 * by a few units in the last place. NaN in x propagates to every entry it touches.
 */
export function gram(x: Float64Array, rows: number, cols: number, options: GramOptions = {}): Float64Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || x.length < rows * cols) {
    throw new ValidationError(`gram: a ${rows} x ${cols} matrix needs ${rows * cols} values, got ${x.length}`);
  }
  return (options.simd === false ? undefined : gramSimd(x, rows, cols)) ?? gramScalar(x, rows, cols);
}

/** X'X with the scalar 3 x 3 tile kernel. */
function gramScalar(x: Float64Array, rows: number, cols: number): Float64Array {
  const panels = Math.ceil(cols / PANEL);
  const width = panels * PANEL; // padded column count: the padding columns are zero and their sums are dropped
  const acc = new Float64Array(width * width);
  const pack = new Float64Array(width * Math.min(ROW_BLOCK, Math.max(rows, 1)));
  for (let t0 = 0; t0 < rows; t0 += ROW_BLOCK) {
    const len = Math.min(ROW_BLOCK, rows - t0);
    packBlock(x, rows, cols, t0, len, PANEL, pack, 0);
    accumulatePanels(pack, acc, width, panels, len);
  }
  return symmetricFromUpper(acc, width, cols);
}

/** Adds the 3 x 3 tile sums of every panel pair (pi <= pj) of one packed block into acc (width x width, row-major). */
function accumulatePanels(pack: Float64Array, acc: Float64Array, width: number, panels: number, len: number): void {
  const panelSize = PANEL * len;
  for (let pi = 0; pi < panels; pi++) {
    const a = pi * panelSize;
    const aEnd = a + panelSize;
    for (let pj = pi; pj < panels; pj++) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      for (let k = a, m = pj * panelSize; k < aEnd; k += 3, m += 3) {
        const x0 = pack[k] as number;
        const x1 = pack[k + 1] as number;
        const x2 = pack[k + 2] as number;
        const y0 = pack[m] as number;
        const y1 = pack[m + 1] as number;
        const y2 = pack[m + 2] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
      }
      const o = pi * PANEL * width + pj * PANEL;
      acc[o] = (acc[o] as number) + s00;
      acc[o + 1] = (acc[o + 1] as number) + s01;
      acc[o + 2] = (acc[o + 2] as number) + s02;
      const o1 = o + width;
      acc[o1] = (acc[o1] as number) + s10;
      acc[o1 + 1] = (acc[o1 + 1] as number) + s11;
      acc[o1 + 2] = (acc[o1 + 2] as number) + s12;
      const o2 = o1 + width;
      acc[o2] = (acc[o2] as number) + s20;
      acc[o2 + 1] = (acc[o2 + 1] as number) + s21;
      acc[o2 + 2] = (acc[o2 + 2] as number) + s22;
    }
  }
}
