/**
 * Shared by the hierarchical tests: the golden file of reference/hierarchical/golden.py (SciPy trees, paper-based HRP
 * and HERC) and the inputs it describes, rebuilt exactly as the script built them.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatedMatrix } from '../../src/core/dated-matrix.js';
import { loadPrices } from '../../src/data/load-prices.js';
import type { LinkageMethod } from '../../src/optimize/allocators.js';

export interface GoldenTree {
  /** SciPy's Z rows [left, right, distance, count]. */
  readonly Z: [number, number, number, number][];
  readonly leaves: number[];
}

export interface RandomCase {
  readonly name: string;
  readonly family: 'continuous' | 'levels' | 'grid';
  readonly n: number;
  readonly loadings?: number[];
  readonly specific?: number[];
  readonly codes?: number[];
  readonly results: Record<LinkageMethod, GoldenTree>;
}

export interface DatasetCase {
  readonly name: string;
  readonly source: string;
  readonly periodsPerYear: number;
  readonly tickers: string[];
  readonly returnDates: number;
  readonly correlationUpper: number[];
  readonly covarianceUpper: number[];
  readonly minEigenvalue: number;
  readonly trees: Record<LinkageMethod, GoldenTree>;
  readonly hrp: { linkage: LinkageMethod; bounds?: string; lower?: number[]; upper?: number[]; weights: number[] }[];
  readonly herc: {
    linkage: LinkageMethod;
    clusters: number | null;
    chosen: number;
    weights: number[];
    groups: number[][];
  }[];
}

export interface HierarchicalGolden {
  readonly header: Record<string, unknown> & { readonly levels: number[] };
  readonly random: RandomCase[];
  readonly datasets: DatasetCase[];
}

export const golden = JSON.parse(
  readFileSync(new URL('../../reference/hierarchical/golden.json', import.meta.url), 'utf8'),
) as HierarchicalGolden;

/** The prices of a golden data set, tickers in the reference's order. */
export function datasetPrices(c: DatasetCase): DatedMatrix {
  const source = c.source.startsWith('sample:')
    ? c.source
    : fileURLToPath(new URL(`../../${c.source}`, import.meta.url));
  return loadPrices(source).selectTickers(c.tickers);
}

/** A symmetric n x n matrix from its upper triangle (row by row, diagonal included). */
export function fromUpper(upper: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      out[i * n + j] = upper[k] as number;
      out[j * n + i] = upper[k] as number;
      k++;
    }
  }
  return out;
}

/**
 * The correlation matrix of a random case: for 'continuous', rho = C_ij / sqrt(C_ii C_jj) with C = B B' + diag(u)
 * (recomputed here, so equal to the script's to rounding); for 'levels', the level of each pair's code (exact).
 * Undefined for 'grid' (its distances are not correlations).
 */
export function correlationOf(c: RandomCase, levels: readonly number[]): Float64Array | undefined {
  const n = c.n;
  const rho = new Float64Array(n * n);
  if (c.family === 'continuous') {
    const b = c.loadings as number[];
    const u = c.specific as number[];
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let f = 0; f < 3; f++) s += (b[i * 3 + f] as number) * (b[j * 3 + f] as number);
        cov[i * n + j] = s + (i === j ? (u[i] as number) : 0);
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        rho[i * n + j] =
          (cov[i * n + j] as number) / Math.sqrt((cov[i * n + i] as number) * (cov[j * n + j] as number));
      }
    }
    return rho;
  }
  if (c.family === 'levels') {
    const codes = c.codes as number[];
    let k = 0;
    for (let i = 0; i < n; i++) {
      rho[i * n + i] = 1;
      for (let j = i + 1; j < n; j++) {
        const v = levels[codes[k++] as number] as number;
        rho[i * n + j] = v;
        rho[j * n + i] = v;
      }
    }
    return rho;
  }
  return undefined;
}
