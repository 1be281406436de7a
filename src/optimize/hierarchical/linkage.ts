/**
 * Agglomerative hierarchical clustering of a condensed distance matrix, with SciPy's conventions
 * (`scipy.cluster.hierarchy.linkage` and `leaves_list`), so that trees, tie-breaking and leaf orders agree with
 * SciPy's exactly.
 *
 * Algorithms, as SciPy runs them (Müllner 2011, "Modern hierarchical, agglomerative clustering algorithms",
 * arXiv:1109.2378):
 * - single: Prim's minimum spanning tree over the points (O(n^2) time, O(n) extra memory);
 * - complete, average, weighted, ward: the nearest-neighbour chain (O(n^2) time; a copy of the condensed matrix),
 *   with the Lance-Williams updates below, evaluated in SciPy's operation order (so distances agree to the bit);
 * then the merges are sorted by distance (a stable sort, so equal distances keep their order) and relabelled with a
 * union-find: the cluster formed by merge k is numbered n + k, each row names its lower-numbered child first.
 *
 * Lance-Williams distance from the merged cluster x u y (sizes n_x, n_y) to a cluster i (size n_i), given d_xi,
 * d_yi and d_xy:
 *   complete  max(d_xi, d_yi)
 *   average   (n_x d_xi + n_y d_yi) / (n_x + n_y)                       (UPGMA)
 *   weighted  (d_xi + d_yi) / 2                                          (WPGMA, McQuitty)
 *   ward      sqrt(((n_i + n_x) d_xi^2 + (n_i + n_y) d_yi^2 - n_i d_xy^2) / (n_x + n_y + n_i))
 * and single linkage min(d_xi, d_yi). Distances are in the units of the input.
 */

import { ValidationError } from '../../core/errors.js';

/** Linkage criteria (SciPy's names). */
export type LinkageMethod = 'single' | 'complete' | 'average' | 'weighted' | 'ward';

/** The linkage criteria accepted by `linkage`. */
export const LINKAGE_METHODS: readonly LinkageMethod[] = ['single', 'complete', 'average', 'weighted', 'ward'];

/**
 * A dendrogram as SciPy's linkage matrix Z: row k (k = 0 .. n-2) records merge k as
 * `[left, right, distance, count]`; ids below n are the original points, id n + k the cluster formed by merge k;
 * `left < right`; `count` is the number of points in the new cluster; distances are non-decreasing for these
 * criteria (up to rounding in the Lance-Williams updates).
 */
export interface Linkage {
  readonly method: LinkageMethod;
  /** Number of points (leaves). */
  readonly n: number;
  /** (n - 1) x 4 row-major: `merges[4k]` left id, `[4k + 1]` right id, `[4k + 2]` distance, `[4k + 3]` count. */
  readonly merges: Float64Array;
}

/** Index of the pair (i, j), i < j, in a condensed matrix of n points: `n i - i (i + 1) / 2 + j - i - 1`. */
export function condensedIndex(n: number, i: number, j: number): number {
  return n * i - ((i * (i + 1)) >> 1) + j - i - 1;
}

/** Number of points n of a condensed distance matrix of m = n (n - 1) / 2 entries; ValidationError otherwise. */
export function pointsOfCondensed(m: number): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * m)) / 2);
  if (!Number.isInteger(m) || (n * (n - 1)) / 2 !== m) {
    throw new ValidationError(
      `a condensed distance matrix has n (n - 1) / 2 entries for n points; ${m} is not such a number`,
    );
  }
  return n;
}

/**
 * Hierarchical clustering of the condensed distance matrix `distances` (entries d(i, j) for i < j in row order, as
 * SciPy's `squareform` gives; n (n - 1) / 2 finite non-negative numbers for n >= 1 points) with the given criterion;
 * returns SciPy's linkage matrix Z (see `Linkage`) with SciPy's tie-breaking. One point gives an empty tree.
 * Distances are in the input's units. O(n^2) time; memory: one copy of the condensed matrix (ward, complete,
 * average, weighted). Throws ValidationError for a malformed input or an unknown method.
 */
export function linkage(distances: ArrayLike<number>, method: LinkageMethod): Linkage {
  if (!LINKAGE_METHODS.includes(method)) {
    throw new ValidationError(`unknown linkage ${JSON.stringify(method)}; use ${LINKAGE_METHODS.join(', ')}`);
  }
  if (distances === null || typeof distances !== 'object' || typeof distances.length !== 'number') {
    throw new ValidationError('the distances must be an array (a condensed distance matrix)');
  }
  const n = distances.length === 0 ? 1 : pointsOfCondensed(distances.length);
  const d = Float64Array.from(distances);
  for (let k = 0; k < d.length; k++) {
    const v = d[k] as number;
    if (!Number.isFinite(v) || v < 0) {
      throw new ValidationError(
        `distance number ${k + 1} is ${String(distances[k])}; distances must be finite and >= 0`,
      );
    }
  }
  const raw = method === 'single' ? primSingle(d, n) : nearestNeighbourChain(d, n, method);
  return { method, n, merges: relabel(sortedByDistance(raw, n), n) };
}

/**
 * Single linkage by Prim's algorithm (SciPy's `mst_single_linkage`): grow the tree from point 0, each step adding
 * the outside point nearest to the tree (first such point in index order on ties) and recording the edge
 * [the last added point, the new point, distance].
 */
function primSingle(d: Float64Array, n: number): Float64Array {
  const z = new Float64Array(4 * (n - 1));
  const merged = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    let current = Number.POSITIVE_INFINITY;
    merged[x] = 1;
    // Pairs (i, x) with i < x sit at strided positions; pairs (x, i) with i > x are contiguous.
    let idx = x - 1; // condensedIndex(n, 0, x)
    for (let i = 0; i < x; i++) {
      if (merged[i] === 0) {
        const dist = d[idx] as number;
        if ((best[i] as number) > dist) best[i] = dist;
        if ((best[i] as number) < current) {
          y = i;
          current = best[i] as number;
        }
      }
      idx += n - i - 2;
    }
    const start = condensedIndex(n, x, x + 1) - (x + 1);
    for (let i = x + 1; i < n; i++) {
      if (merged[i] === 0) {
        const dist = d[start + i] as number;
        if ((best[i] as number) > dist) best[i] = dist;
        if ((best[i] as number) < current) {
          y = i;
          current = best[i] as number;
        }
      }
    }
    z[4 * k] = x;
    z[4 * k + 1] = y;
    z[4 * k + 2] = current;
    x = y;
  }
  return z;
}

const COMPLETE = 1;
const AVERAGE = 2;
const WEIGHTED = 3;
const WARD = 4;

/**
 * The nearest-neighbour chain algorithm (SciPy's `nn_chain`): follow nearest neighbours from the lowest-numbered
 * active cluster until two clusters are each other's nearest (preferring the previous chain element on ties, else
 * the lowest index), merge them into the slot of the higher index, and update the distances by Lance-Williams.
 * Rows are [lower slot, higher slot, distance, size] in merge order (slots are point indices).
 */
function nearestNeighbourChain(d: Float64Array, n: number, method: LinkageMethod): Float64Array {
  const code =
    method === 'complete' ? COMPLETE : method === 'average' ? AVERAGE : method === 'weighted' ? WEIGHTED : WARD;
  const z = new Float64Array(4 * (n - 1));
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let length = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (length === 0) {
      length = 1;
      for (let i = 0; i < n; i++) {
        if ((size[i] as number) > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    let x = 0;
    let current = 0;
    for (;;) {
      x = chain[length - 1] as number;
      if (length > 1) {
        y = chain[length - 2] as number;
        current = d[x < y ? condensedIndex(n, x, y) : condensedIndex(n, y, x)] as number;
      } else {
        current = Number.POSITIVE_INFINITY;
      }
      let idx = x - 1; // condensedIndex(n, 0, x)
      for (let i = 0; i < x; i++) {
        if ((size[i] as number) > 0) {
          const dist = d[idx] as number;
          if (dist < current) {
            current = dist;
            y = i;
          }
        }
        idx += n - i - 2;
      }
      const start = condensedIndex(n, x, x + 1) - (x + 1);
      for (let i = x + 1; i < n; i++) {
        if ((size[i] as number) > 0) {
          const dist = d[start + i] as number;
          if (dist < current) {
            current = dist;
            y = i;
          }
        }
      }
      if (length > 1 && y === chain[length - 2]) break;
      chain[length++] = y;
    }
    length -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x] as number;
    const ny = size[y] as number;
    z[4 * k] = x;
    z[4 * k + 1] = y;
    z[4 * k + 2] = current;
    z[4 * k + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i] as number;
      if (ni === 0 || i === y) continue;
      const ix = i < x ? condensedIndex(n, i, x) : condensedIndex(n, x, i);
      const iy = i < y ? condensedIndex(n, i, y) : condensedIndex(n, y, i);
      const dxi = d[ix] as number;
      const dyi = d[iy] as number;
      let v: number;
      if (code === COMPLETE) {
        v = dxi > dyi ? dxi : dyi;
      } else if (code === AVERAGE) {
        v = (nx * dxi + ny * dyi) / (nx + ny);
      } else if (code === WEIGHTED) {
        v = 0.5 * (dxi + dyi);
      } else {
        const t = 1.0 / (nx + ny + ni);
        v = Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * current * current);
      }
      d[iy] = v;
    }
  }
  return z;
}

/** The rows of z reordered by distance, ascending, equal distances in their original order (a stable sort). */
function sortedByDistance(z: Float64Array, n: number): Float64Array {
  const rows = n - 1;
  const order = Array.from({ length: rows }, (_, k) => k);
  order.sort((a, b) => (z[4 * a + 2] as number) - (z[4 * b + 2] as number));
  const out = new Float64Array(z.length);
  order.forEach((src, k) => {
    out.set(z.subarray(4 * src, 4 * src + 4), 4 * k);
  });
  return out;
}

/**
 * Relabels merges whose entries name points into SciPy's cluster ids (SciPy's `label`): a union-find over the
 * 2n - 1 nodes maps each point to the cluster currently holding it; merge k creates id n + k, its row lists the
 * two roots lower first and the new size.
 */
function relabel(z: Float64Array, n: number): Float64Array {
  const parent = new Int32Array(Math.max(2 * n - 1, 1));
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const size = new Int32Array(parent.length).fill(1);
  const find = (x0: number): number => {
    let x = x0;
    while (parent[x] !== x) x = parent[x] as number;
    let p = x0;
    while (parent[p] !== x) {
      const next = parent[p] as number;
      parent[p] = x;
      p = next;
    }
    return x;
  };
  for (let k = 0; k < n - 1; k++) {
    const a = find(z[4 * k] as number);
    const b = find(z[4 * k + 1] as number);
    const label = n + k;
    z[4 * k] = a < b ? a : b;
    z[4 * k + 1] = a < b ? b : a;
    parent[a] = label;
    parent[b] = label;
    const s = (size[a] as number) + (size[b] as number);
    size[label] = s;
    z[4 * k + 3] = s;
  }
  return z;
}

/**
 * The linkage matrix as rows `[left, right, distance, count]` (SciPy's Z as nested arrays, e.g. for JSON output or
 * a dendrogram): ids below n are points, n + k the cluster of row k; distances in the input's units.
 */
export function linkageMatrix(tree: Linkage): [number, number, number, number][] {
  const z = tree.merges;
  return Array.from({ length: Math.max(tree.n - 1, 0) }, (_, k) => [
    z[4 * k] as number,
    z[4 * k + 1] as number,
    z[4 * k + 2] as number,
    z[4 * k + 3] as number,
  ]);
}

/**
 * The leaves of the dendrogram from left to right (SciPy's `leaves_list`): a pre-order walk from the root, the
 * left child (the lower id of each row) first. For HRP this is the quasi-diagonal order. Returns point indices.
 */
export function leavesList(tree: Linkage): Int32Array {
  const n = tree.n;
  const out = new Int32Array(n);
  if (n === 1) return out;
  const z = tree.merges;
  const stack = new Int32Array(n);
  let top = 0;
  let count = 0;
  stack[0] = 2 * n - 2;
  while (top >= 0) {
    const node = stack[top--] as number;
    if (node < n) {
      out[count++] = node;
      continue;
    }
    const k = node - n;
    stack[++top] = z[4 * k + 1] as number; // right, visited after the left subtree
    stack[++top] = z[4 * k] as number;
  }
  return out;
}

/**
 * Members of every node of the tree as contiguous runs of the leaf order: node v (a point or n + k) covers
 * `order[start[v] .. start[v] + count[v] - 1]`, where order is `leavesList(tree)`.
 */
export function nodeSpans(tree: Linkage, order: Int32Array): { start: Int32Array; count: Int32Array } {
  const n = tree.n;
  const start = new Int32Array(2 * n - 1);
  const count = new Int32Array(2 * n - 1);
  for (let p = 0; p < n; p++) {
    start[order[p] as number] = p;
    count[order[p] as number] = 1;
  }
  const z = tree.merges;
  for (let k = 0; k < n - 1; k++) {
    const left = z[4 * k] as number;
    const right = z[4 * k + 1] as number;
    start[n + k] = Math.min(start[left] as number, start[right] as number);
    count[n + k] = (count[left] as number) + (count[right] as number);
  }
  return { start, count };
}
