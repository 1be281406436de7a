/**
 * The solver layer on its own: the positive-semidefiniteness check, the bounded simplex and the segment LP (against
 * HiGHS's simplex), the active-set solver's starts, warm starts and factor updates, and the critical-line walk.
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { SolverError } from '../../src/optimize/index.js';
import { normalizeProblem } from '../../src/optimize/problem.js';
import { checkPositiveSemidefinite } from '../../src/optimize/psd.js';
import { linearRows } from '../../src/optimize/rows.js';
import { ActiveSetSolver } from '../../src/optimize/solvers/active-set.js';
import { ActiveSetEngine } from '../../src/optimize/solvers/active-set-engine.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';
import { HighsEngine } from '../../src/optimize/solvers/highs-qp.js';
import { type FrontierSegment, traceFrontier } from '../../src/optimize/solvers/parametric.js';
import { solveSegmentLp } from '../../src/optimize/solvers/segment-lp.js';
import { solveBoundedLp } from '../../src/optimize/solvers/simplex.js';
import { verifyAndClean } from '../../src/optimize/verify.js';
import { maxDiff, randomProblem } from './helpers.js';

describe('checkPositiveSemidefinite', () => {
  const names = ['A', 'B', 'C'];
  it('accepts a positive definite matrix', () => {
    const s = Float64Array.from([0.04, 0.01, 0, 0.01, 0.09, 0.02, 0, 0.02, 0.16]);
    expect(checkPositiveSemidefinite(s, 3, names, 'full')).toBe('definite');
  });
  it('recognises a singular positive semidefinite matrix (a duplicated asset)', () => {
    const s = Float64Array.from([0.04, 0.04, 0.01, 0.04, 0.04, 0.01, 0.01, 0.01, 0.09]);
    expect(checkPositiveSemidefinite(s, 3, names, 'full')).toBe('singular');
  });
  it('rejects an indefinite matrix whose 2 x 2 minors are all fine', () => {
    // Correlations 0.9, 0.9, -0.9: every pair is valid, the triple is not.
    const s = Float64Array.from([1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]);
    expect(() => checkPositiveSemidefinite(s, 3, names, 'full')).toThrow(ValidationError);
    expect(() => checkPositiveSemidefinite(s, 3, names, 'full')).toThrow(/not positive semidefinite.*C/);
    expect(checkPositiveSemidefinite(s, 3, names, 'fast')).toBe('unchecked');
  });
  describe('on larger matrices (the 4-row blocks and the scalar tail)', () => {
    const n = 39;
    const p = normalizeProblem(randomProblem(9, { n }));
    const tick = Array.from({ length: n + 1 }, (_, i) => `X${i}`);
    it('a random positive definite matrix', () => {
      expect(checkPositiveSemidefinite(Float64Array.from(p.cov), n, tick, 'full')).toBe('definite');
    });
    it.each([[0], [21], [38]])('an asset duplicated at position %i is singular', (at) => {
      const m = n + 1;
      const src = (i: number): number => (i <= at ? i : i - 1);
      const s = Float64Array.from(
        { length: m * m },
        (_, k) => p.cov[src(Math.floor(k / m)) * n + src(k % m)] as number,
      );
      expect(checkPositiveSemidefinite(s, m, tick, 'full')).toBe('singular');
    });
    it('a matrix with a negative direction is rejected', () => {
      // S - t e e' with e = 1 / sqrt(n) and t = 2 e'Se gives e'(S - t e e')e < 0.
      let ese = 0;
      for (const v of p.cov) ese += v;
      ese /= n;
      const s = p.cov.map((v) => v - (2 * ese) / n);
      expect(() => checkPositiveSemidefinite(s, n, tick, 'full')).toThrow(/not positive semidefinite/);
    });
  });

  it("'fast' still rejects a correlation above 1", () => {
    const s = Float64Array.from([0.04, 0.07, 0.07, 0.09]);
    expect(() => checkPositiveSemidefinite(s, 2, names, 'fast')).toThrow(/correlation above 1/);
  });
});

describe('solveBoundedLp and solveSegmentLp against HiGHS', async () => {
  const highs = await loadHighs();
  /** max mu'w over the problem's constraints with HiGHS's simplex (through the HiGHS engine's LP). */
  const highsMax = (problem: Parameters<typeof normalizeProblem>[0]): number => {
    const engine = new HighsEngine(highs, normalizeProblem(problem));
    try {
      return engine.maxReturn();
    } finally {
      engine.dispose();
    }
  };

  it.each(Array.from({ length: 20 }, (_, k) => [k]))('random problem %i: the maximum return agrees', (k) => {
    const rng = new Random(500 + k);
    const n = 3 + rng.int(40);
    const base = randomProblem(600 + k, {
      n,
      bounds: (['long', 'capped', 'long-short'] as const)[k % 3],
      sectors: k % 2 ? 3 : 0,
    });
    const w0 = Float64Array.from({ length: n }, () => 1 / n);
    const problem = {
      ...base,
      ...(k % 4 === 1 ? { currentWeights: w0, maxTurnover: 0.2 + 0.4 * rng.nextDouble() } : {}),
      ...(k % 4 === 2 && k % 3 === 2 ? { maxLeverage: 1.2 + rng.nextDouble() } : {}),
    };
    const p = normalizeProblem(problem);
    const rows = linearRows(p, false, false);
    const cost = p.mu.map((m) => -m);
    const ours = solveSegmentLp(p.n, cost, p.lower, p.upper, rows, {
      center: p.currentWeights,
      maxTurnover: p.maxTurnover,
      maxLeverage: p.longOnly ? undefined : p.maxLeverage,
    });
    expect(ours.status).toBe('optimal');
    expect(Math.abs(-ours.objective - highsMax(problem))).toBeLessThan(1e-10);
    if (p.maxTurnover === undefined && (p.maxLeverage === undefined || p.longOnly)) {
      const plain = solveBoundedLp(p.n, cost, p.lower, p.upper, rows);
      expect(Math.abs(plain.objective - ours.objective)).toBeLessThan(1e-12);
    }
  });

  it('reports infeasibility with a certificate naming the rows in conflict', () => {
    // Two assets, each at most 0.3, must sum to 1.
    const rows = { m: 1, A: Float64Array.from([1, 1]), lower: Float64Array.from([1]), upper: Float64Array.from([1]) };
    const lp = solveBoundedLp(2, undefined, new Float64Array(2), Float64Array.from([0.3, 0.3]), rows);
    expect(lp.status).toBe('infeasible');
    expect(lp.infeasibility).toBeCloseTo(0.4, 12);
    expect(Math.abs(lp.rowDuals[0] as number)).toBeGreaterThan(0);
  });

  it('reports an unbounded objective', () => {
    const rows = { m: 1, A: Float64Array.from([1, 1]), lower: Float64Array.from([1]), upper: Float64Array.from([1]) };
    const inf = Number.POSITIVE_INFINITY;
    const lp = solveBoundedLp(
      2,
      Float64Array.from([-1, 0]),
      Float64Array.from([-inf, -inf]),
      Float64Array.from([inf, inf]),
      rows,
    );
    expect(lp.status).toBe('unbounded');
  });

  it('minimises turnover and leverage exactly (segment LP against a hand-computed case)', () => {
    // Budget 1, bounds [0, 0.6], current weights (0.9, 0.1, 0): at least 0.3 must leave asset 1 (and arrive elsewhere).
    const rows = {
      m: 1,
      A: Float64Array.from([1, 1, 1]),
      lower: Float64Array.from([1]),
      upper: Float64Array.from([1]),
    };
    const pw = { center: Float64Array.from([0.9, 0.1, 0]), maxTurnover: 10, maxLeverage: undefined };
    const least = solveSegmentLp(
      3,
      undefined,
      new Float64Array(3),
      new Float64Array(3).fill(0.6),
      rows,
      pw,
      'turnover',
    );
    expect(least.objective).toBeCloseTo(0.6, 12);
    // Long-short: sum w = 1 with w_1 <= -0.5 needs gross leverage of at least 0.5 + 1.5 = 2.
    const lev = solveSegmentLp(
      2,
      undefined,
      Float64Array.from([-1, -1]),
      Float64Array.from([-0.5, 3]),
      { m: 1, A: Float64Array.from([1, 1]), lower: Float64Array.from([1]), upper: Float64Array.from([1]) },
      { center: undefined, maxTurnover: undefined, maxLeverage: 100 },
      'leverage',
    );
    expect(lev.objective).toBeCloseTo(2, 12);
  });
});

describe('ActiveSetSolver', () => {
  function solverFor(seed: number, n: number, longShort: boolean): ActiveSetSolver {
    const p = normalizeProblem(randomProblem(seed, { n, bounds: longShort ? 'long-short' : 'long' }));
    const H = p.cov.map((v) => 2 * v);
    return new ActiveSetSolver({
      n,
      H,
      c: new Float64Array(n),
      lower: p.lower,
      upper: p.upper,
      rows: linearRows(p, false),
    });
  }

  it.each([[31], [32], [33]])(
    'seed %i: a vertex start (many factor updates) and an interior start reach the same optimum',
    (seed) => {
      const a = solverFor(seed, 120, true);
      expect(a.startFromVertex().feasible).toBe(true);
      a.solve();
      const b = solverFor(seed, 120, true);
      expect(b.startFromInterior()).toBe(true);
      b.solve();
      expect(a.iterations).toBeGreaterThan(100);
      expect(maxDiff(a.x, b.x)).toBeLessThan(1e-10);
      expect(Math.abs(a.objective() - b.objective())).toBeLessThan(1e-14);
    },
  );

  it('warm-starts from a snapshot after the linear term changes a little (fewer iterations, same optimum)', () => {
    const cold = solverFor(41, 60, false);
    cold.startFromVertex();
    cold.solve();
    const snap = cold.snapshot();
    const p = normalizeProblem(randomProblem(41, { n: 60, bounds: 'long' }));
    const c = p.mu.map((m) => -0.002 * m);
    const warm = solverFor(41, 60, false);
    warm.setLinear(c);
    warm.start(snap);
    const warmIterations = warm.solve();
    const fresh = solverFor(41, 60, false);
    fresh.setLinear(c);
    fresh.startFromVertex();
    const freshIterations = fresh.solve();
    expect(maxDiff(warm.x, fresh.x)).toBeLessThan(1e-10);
    expect(warmIterations).toBeLessThan(freshIterations);
  });
});

describe('verifyAndClean', () => {
  const p = normalizeProblem({
    expectedReturns: [0.1, 0.1, 0.1, 0.1],
    covariance: [0.04, 0, 0, 0, 0, 0.04, 0, 0, 0, 0, 0.04, 0, 0, 0, 0, 0.04],
    tickers: ['A', 'B', 'C', 'D'],
    bounds: [0, 0.6],
    sectors: { map: { A: 'X', B: 'X' }, upper: { X: 0.7 } },
  });
  it('clips solver noise into the bounds (no tiny negative weights) and keeps the budget exact', () => {
    const w = verifyAndClean(p, [-3e-13, 0.6 + 4e-10, 0.2, 0.2 - 4e-10 + 3e-13], 'test');
    expect(w[0]).toBe(0);
    expect(w[1]).toBe(0.6);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
  });
  it('snaps weights within 1e-12 of a bound onto it', () => {
    const w = verifyAndClean(p, [4e-13, 0.4, 0.3, 0.3 - 4e-13], 'test');
    expect(w[0]).toBe(0);
  });
  it.each([
    ['a bound', [-2e-9, 0.4, 0.3, 0.3 + 2e-9], /weight -2e-9 for A, outside its bounds/],
    ['the budget', [0.1, 0.4, 0.3, 0.2 + 2e-9], /summing to 1\.0000000020\d*, not the budget 1/],
    ['a sector limit', [0.2, 0.55, 0.05, 0.2], /sector X a total of 0\.75/],
    ['a non-finite weight', [Number.NaN, 0.4, 0.3, 0.3], /non-finite weight for A/],
  ] as [string, number[], RegExp][])('refuses a real violation of %s', (_name, weights, message) => {
    expect(() => verifyAndClean(p, weights, 'test')).toThrow(SolverError);
    expect(() => verifyAndClean(p, weights, 'test')).toThrow(message);
  });
});

describe('traceFrontier', () => {
  it('walks continuous segments of increasing return up to the maximum return', () => {
    const problem = randomProblem(77, { n: 40, bounds: 'capped', sectors: 3 });
    const p = normalizeProblem(problem);
    const rows = linearRows(p, false);
    const solver = new ActiveSetSolver({
      n: p.n,
      H: p.cov.map((v) => 2 * v),
      c: new Float64Array(p.n),
      lower: p.lower,
      upper: p.upper,
      rows,
    });
    solver.startFromVertex();
    solver.solve();
    const segments: FrontierSegment[] = [];
    const result = traceFrontier(solver, p.mu, 0, (s) => {
      segments.push(s);
      return false;
    });
    expect(result.reachedTop).toBe(true);
    expect(segments.length).toBeGreaterThan(5);
    for (let k = 0; k + 1 < segments.length; k++) {
      const s = segments[k] as FrontierSegment;
      const next = segments[k + 1] as FrontierSegment;
      const len = s.lambda1 - s.lambda0;
      expect(next.lambda0).toBeCloseTo(s.lambda1, 12);
      const end = s.x0.map((v, i) => v + len * (s.dx[i] as number));
      expect(maxDiff(end, next.x0)).toBeLessThan(1e-10);
      expect(next.ret0).toBeGreaterThanOrEqual(s.ret0 - 1e-14);
      expect(s.dret).toBeGreaterThanOrEqual(0);
      // The variance is the quadratic q0 + q1 s + q2 s^2 along the segment.
      const q = (w: Float64Array): number => {
        let v = 0;
        for (let i = 0; i < p.n; i++)
          for (let j = 0; j < p.n; j++) v += (w[i] as number) * (p.cov[i * p.n + j] as number) * (w[j] as number);
        return v;
      };
      expect(q(next.x0)).toBeCloseTo(s.q0 + len * (s.q1 + len * s.q2), 14);
    }
    const engine = new ActiveSetEngine(p);
    expect((segments.at(-1) as FrontierSegment).ret0).toBeCloseTo(engine.maxReturn(), 12);
  });
});
