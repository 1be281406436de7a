/**
 * The linkage and leaf order against SciPy (reference/hierarchical/golden.json): 84 seeded random inputs in three
 * families (continuous correlations; block correlations with exact ties and duplicated assets; arbitrary distances
 * on a coarse grid, ties everywhere) for all five criteria, n from 2 to 160. Where the inputs are rebuilt bit for
 * bit ('levels', 'grid') every entry of Z must be identical, distances included (same Lance-Williams operations in
 * the same order); for 'continuous' the correlations are recomputed here, so ids and counts must be identical and
 * distances agree to 1e-13. Plus hand-checked trees, the structural invariants, validation, and n = 2,000.
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import {
  condensedIndex,
  correlationDistance,
  LINKAGE_METHODS,
  type Linkage,
  type LinkageMethod,
  leavesList,
  linkage,
  linkageMatrix,
} from '../../src/optimize/allocators.js';
import { correlationOf, type GoldenTree, golden } from './hierarchical-helpers.js';

/** The rows of Z, read from the flat array here (linkageMatrix is checked against this once below). */
function rows(tree: Linkage): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let k = 0; k < tree.n - 1; k++) {
    const z = tree.merges;
    out.push([z[4 * k] as number, z[4 * k + 1] as number, z[4 * k + 2] as number, z[4 * k + 3] as number]);
  }
  return out;
}

function expectTree(tree: Linkage, want: GoldenTree, exactDistances: boolean): void {
  const got = rows(tree);
  expect(got.length).toBe(want.Z.length);
  got.forEach((r, k) => {
    const w = want.Z[k] as [number, number, number, number];
    expect([r[0], r[1], r[3]], `merge ${k}`).toEqual([w[0], w[1], w[3]]);
    if (exactDistances) expect(r[2], `distance of merge ${k}`).toBe(w[2]);
    else expect(Math.abs(r[2] - w[2]), `distance of merge ${k}`).toBeLessThanOrEqual(1e-13 * Math.max(1, w[2]));
  });
  expect(Array.from(leavesList(tree))).toEqual(want.leaves);
}

describe('linkage against SciPy on seeded random inputs', () => {
  const levels = golden.header.levels;
  it('covers every family, criterion and many sizes, with ties', () => {
    expect(golden.random.length).toBeGreaterThanOrEqual(80);
    expect(new Set(golden.random.map((c) => c.family))).toEqual(new Set(['continuous', 'levels', 'grid']));
    expect(Math.max(...golden.random.map((c) => c.n))).toBeGreaterThanOrEqual(160);
    // The tie families really tie: some merge distance repeats in most cases.
    const tied = golden.random.filter((c) => {
      if (c.family === 'continuous') return false;
      const d = c.results.single.Z.map((r) => r[2]);
      return new Set(d).size < d.length;
    });
    expect(tied.length).toBeGreaterThan(50);
  });

  for (const c of golden.random) {
    it(`${c.name}: Z and leaves_list equal SciPy's for ${LINKAGE_METHODS.join(', ')}`, () => {
      const rho = correlationOf(c, levels);
      const d =
        rho === undefined ? Float64Array.from(c.codes as number[], (k) => k / 8) : correlationDistance(rho, c.n);
      for (const method of LINKAGE_METHODS) {
        expectTree(linkage(d, method), c.results[method], c.family !== 'continuous');
      }
    });
  }
});

describe('linkage by hand', () => {
  // Points on a line at 0, 1, 3, 7: d(i, j) = |x_i - x_j|.
  const x = [0, 1, 3, 7];
  const d: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) d.push(Math.abs((x[i] as number) - (x[j] as number)));

  it('single: merges at the gaps 1, 2, 4', () => {
    expect(rows(linkage(d, 'single'))).toEqual([
      [0, 1, 1, 2],
      [2, 4, 2, 3],
      [3, 5, 4, 4],
    ]);
  });

  it('complete: the farthest members, 1, 3, 7', () => {
    expect(rows(linkage(d, 'complete'))).toEqual([
      [0, 1, 1, 2],
      [2, 4, 3, 3],
      [3, 5, 7, 4],
    ]);
  });

  it('average: mean distances 1, (3 + 2) / 2, (7 + 6 + 4) / 3', () => {
    expect(rows(linkage(d, 'average'))).toEqual([
      [0, 1, 1, 2],
      [2, 4, 2.5, 3],
      [3, 5, 17 / 3, 4],
    ]);
  });

  it('ward: sqrt(2 n_a n_b / (n_a + n_b)) times the distance of the centroids', () => {
    const z = rows(linkage(d, 'ward'));
    expect(z[0]).toEqual([0, 1, 1, 2]);
    // {0, 1} (centroid 0.5) with {3}: sqrt(2 * 2 * 1 / 3) * 2.5
    expect(z[1]?.slice(0, 2)).toEqual([2, 4]);
    expect(z[1]?.[2]).toBeCloseTo(Math.sqrt(4 / 3) * 2.5, 14);
    // {0, 1, 3} (centroid 4/3) with {7}: sqrt(2 * 3 * 1 / 4) * (7 - 4/3)
    expect(z[2]?.[2]).toBeCloseTo(Math.sqrt(6 / 4) * (17 / 3), 13);
    expect(Array.from(leavesList(linkage(d, 'ward')))).toEqual([3, 2, 0, 1]);
  });

  it('ties: the lowest index wins, the lower id goes left, and equal heights keep their merge order', () => {
    // Four points at equal distance 1: SciPy merges (0, 1), then 2 with {0, 1}, then 3.
    const z = rows(linkage([1, 1, 1, 1, 1, 1], 'single'));
    expect(z).toEqual([
      [0, 1, 1, 2],
      [2, 4, 1, 3],
      [3, 5, 1, 4],
    ]);
  });

  it('linkageMatrix gives the rows as nested arrays (JSON-ready)', () => {
    const tree = linkage(d, 'average');
    expect(linkageMatrix(tree)).toEqual(rows(tree));
    expect(JSON.parse(JSON.stringify(linkageMatrix(tree)))).toEqual([
      [0, 1, 1, 2],
      [2, 4, 2.5, 3],
      [3, 5, 17 / 3, 4],
    ]);
    expect(linkageMatrix(linkage([], 'ward'))).toEqual([]);
  });

  it('one point gives an empty tree and the order [0]; two points one merge', () => {
    const one = linkage([], 'ward');
    expect(one.n).toBe(1);
    expect(one.merges.length).toBe(0);
    expect(Array.from(leavesList(one))).toEqual([0]);
    expect(rows(linkage([0.3], 'average'))).toEqual([[0, 1, 0.3, 2]]);
  });
});

describe('structure', () => {
  it('every merge joins two existing clusters, counts add up, heights never fall, leaves are a permutation', () => {
    const rng = new Random(99);
    for (const n of [2, 3, 9, 31, 64]) {
      const d = Float64Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextDouble());
      for (const method of LINKAGE_METHODS) {
        const tree = linkage(d, method);
        const used = new Set<number>();
        const size = new Map<number, number>();
        for (let i = 0; i < n; i++) size.set(i, 1);
        let last = 0;
        rows(tree).forEach(([a, b, h, c], k) => {
          expect(a).toBeLessThan(b);
          expect(b).toBeLessThan(n + k);
          expect(used.has(a) || used.has(b)).toBe(false);
          used.add(a);
          used.add(b);
          expect(c).toBe((size.get(a) as number) + (size.get(b) as number));
          size.set(n + k, c);
          expect(h).toBeGreaterThanOrEqual(last * (1 - 1e-15));
          last = h;
        });
        expect([...leavesList(tree)].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });

  it('single linkage heights are the minimum spanning tree edges (checked by Kruskal)', () => {
    const rng = new Random(5);
    const n = 40;
    const d = Float64Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextDouble());
    const edges: [number, number, number][] = [];
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) edges.push([d[condensedIndex(n, i, j)] as number, i, j]);
    edges.sort((a, b) => a[0] - b[0]);
    const parent = Array.from({ length: n }, (_, i) => i);
    const find = (v: number): number => (parent[v] === v ? v : find(parent[v] as number));
    const mst: number[] = [];
    for (const [w, i, j] of edges) {
      const a = find(i);
      const b = find(j);
      if (a !== b) {
        parent[a] = b;
        mst.push(w);
      }
    }
    expect(rows(linkage(d, 'single')).map((r) => r[2])).toEqual(mst);
  });

  it('clusters 2,000 points in well under a second per criterion', () => {
    const rng = new Random(2000);
    const n = 2000;
    const d = Float64Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextDouble());
    for (const method of ['single', 'ward'] as LinkageMethod[]) {
      const t0 = performance.now();
      const tree = linkage(d, method);
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(tree.merges[4 * (n - 2) + 3]).toBe(n);
    }
  });
});

describe('validation', () => {
  it('rejects a length that is not n (n - 1) / 2, negative or non-finite distances, unknown methods', () => {
    expect(() => linkage([1, 2], 'single')).toThrow(ValidationError);
    expect(() => linkage([1, -1, 2], 'single')).toThrow(/finite and >= 0/);
    expect(() => linkage([1, Number.NaN, 2], 'ward')).toThrow(ValidationError);
    expect(() => linkage([1, 1, 2], 'centroid' as LinkageMethod)).toThrow(/unknown linkage "centroid"/);
  });
});
