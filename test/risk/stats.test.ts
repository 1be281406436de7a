/**
 * The numerical helpers: order statistics by heap and by quickselect against a full sort (with ties), the empirical
 * quantile, compensated sums and the exact zero variance of constant data.
 */

import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import {
  centralMoments,
  empiricalTail,
  orderStatisticIndex,
  orderStatisticPair,
  quantile,
  sampleVariance,
  selectInPlace,
  sum,
} from '../../src/risk/stats.js';

describe('order statistics', () => {
  it('agree with a full sort for low and middle ranks, with and without ties', () => {
    const rng = new Random(4);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + rng.int(600);
      const ties = trial % 3 === 0;
      const x = Float64Array.from({ length: n }, () => (ties ? rng.int(6) : rng.normal()));
      // Half the trials take a low rank (the heap path when k + 2 <= n / 16), half any rank (quickselect).
      const k = trial % 2 === 0 ? rng.int(Math.max(1, Math.floor(n / 16) - 1)) : rng.int(n);
      const sorted = Float64Array.from(x).sort();
      const want = [sorted[k], k + 1 < n ? sorted[k + 1] : sorted[k]];
      expect(orderStatisticPair(x, k), `n ${n}, k ${k}`).toEqual(want);
      const copy = Float64Array.from(x);
      selectInPlace(copy, k);
      expect(copy[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(copy[i]).toBeLessThanOrEqual(copy[k] as number);
    }
  });

  it('find the scenario of a rank with ties broken by position', () => {
    const x = [3, 1, 2, 1, 5, 1];
    // Sorted with positions: 1@1, 1@3, 1@5, 2@2, 3@0, 5@4.
    expect([0, 1, 2, 3, 4, 5].map((r) => orderStatisticIndex(x, [1, 1, 1, 2, 3, 5][r] as number, r))).toEqual([
      1, 3, 5, 2, 0, 4,
    ]);
  });

  it('give the linear-interpolation quantile (numpy default)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('the empirical tail', () => {
  /** The definition, by a full sort. */
  function bySort(x: Float64Array, alpha: number) {
    const s = Float64Array.from(x).sort();
    const pos = (s.length - 1) * alpha;
    const k = Math.floor(pos);
    const f = pos - k;
    const q = f === 0 ? (s[k] as number) : (s[k] as number) + f * ((s[k + 1] as number) - (s[k] as number));
    const tail = Array.from(x).filter((v) => v <= q);
    return { q, count: tail.length, mean: tail.reduce((a, b) => a + b, 0) / tail.length };
  }

  it('equals the sort-based definition on large samples in any order, with ties, at any level', () => {
    const rng = new Random(12);
    const n = 40_000;
    const normal = Float64Array.from({ length: n }, () => rng.normal());
    const samples: [string, Float64Array][] = [
      ['random', normal],
      ['ascending', Float64Array.from(normal).sort()],
      ['descending', Float64Array.from(normal).sort().reverse()],
      ['ties', Float64Array.from({ length: n }, () => rng.int(7) - 3)],
      // The strided subsample sees only the 1s: the bracket misses and the whole sample is selected.
      ['adversarial', Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 1 : rng.normal()))],
    ];
    for (const [name, x] of samples) {
      for (const alpha of [0.001, 0.01, 0.05, 0.3, 0.5, 0.999]) {
        const got = empiricalTail(x, alpha);
        const want = bySort(x, alpha);
        expect(got.quantile, `${name} ${alpha}`).toBe(want.q);
        expect(got.tailCount, `${name} ${alpha}`).toBe(want.count);
        expect(Math.abs(got.tailMean - want.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(want.mean) + 1e-15);
      }
    }
    expect(empiricalTail(new Float64Array(0), 0.05).quantile).toBeNaN();
  });
});

describe('sums and moments', () => {
  it('sums with compensation', () => {
    expect(sum([1e16, 1, -1e16])).toBe(1);
    expect(sum(new Array(10).fill(0.1))).toBe(1);
  });

  it('gives constant data exactly zero spread', () => {
    const x = new Array(7).fill(0.1 + 0.2);
    expect(sampleVariance(x)).toBe(0);
    expect(centralMoments(x)).toEqual({ mean: 0.1 + 0.2, m2: 0, m3: 0, m4: 0 });
    expect(sampleVariance([1])).toBeNaN();
  });
});
