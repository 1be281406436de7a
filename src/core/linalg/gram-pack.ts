/**
 * Packing for the blocked Gram kernels: a block of rows of a column-major matrix copied into panels of `width`
 * columns interleaved by row, so a tile kernel reads both of its panels contiguously.
 */

/** Rows per block: a block of every column stays in the L2 cache while the panels of the block meet. */
export const ROW_BLOCK = 256;

/**
 * Copies rows t0 .. t0+len-1 of the rows x cols column-major x into dest from `offset` (in doubles): panel p holds
 * columns p*width .. p*width+width-1, value of row t and lane l at `offset + p*width*len + t*width + l`. Lanes past
 * the last column are zero. Writes `ceil(cols / width) * width * len` values.
 */
export function packBlock(
  x: Float64Array,
  rows: number,
  cols: number,
  t0: number,
  len: number,
  width: number,
  dest: Float64Array,
  offset: number,
): void {
  const panelSize = width * len;
  const padded = Math.ceil(cols / width) * width;
  for (let j = 0; j < padded; j++) {
    const p = (j / width) | 0;
    const base = offset + p * panelSize + (j - p * width);
    if (j >= cols) {
      for (let t = 0; t < len; t++) dest[base + t * width] = 0;
      continue;
    }
    const src = j * rows + t0;
    for (let t = 0; t < len; t++) dest[base + t * width] = x[src + t] as number;
  }
}

/** The cols x cols symmetric result from the upper triangle of a padded `width x width` row-major accumulator. */
export function symmetricFromUpper(acc: Float64Array, width: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const v = acc[i * width + j] as number;
      g[i * cols + j] = v;
      g[j * cols + i] = v;
    }
  }
  return g;
}
