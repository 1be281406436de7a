/**
 * Golden values of the tail objectives: reference/tail/golden.py solves every case with cvxpy (Clarabel for the LPs
 * and QPs, HiGHS for the mixed-integer programs, a brute-force enumeration of the held sets for the small cardinality
 * cases), formulated from the published definitions. Objective values must agree to 1e-8 (relative; measured: 3e-10
 * at worst, on the semivariance, 4e-12 on the LPs), the weights to 1e-6 where the script proved the optimum unique
 * (measured: 3e-8), and every measure of the reference weights, recomputed by pfopt, to 1e-10.
 */

import { readFileSync } from 'node:fs';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatedMatrix } from '../../src/core/dated-matrix.js';
import { InfeasibleError } from '../../src/core/errors.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { historicalScenarios } from '../../src/estimate/scenarios.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';
import {
  optimizeTailSync,
  type TailMeasures,
  type TailObjective,
  type TailProblem,
  tailRiskMeasures,
} from '../../src/optimize/tail/index.js';
import { maxDiff } from './helpers.js';

interface GoldenDataset {
  readonly source: string;
  readonly tickers: string[];
  readonly periodsPerYear: number;
  readonly scenarios: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly mu: number[];
}

interface GoldenTailCase {
  readonly name: string;
  readonly dataset: string;
  readonly problem: Omit<TailProblem, 'scenarios'>;
  readonly objective: TailObjective;
  readonly weights: number[];
  readonly expectedReturn: number;
  readonly measures: Omit<TailMeasures, 'confidence' | 'benchmark'>;
  readonly risk: number;
  readonly unique: boolean;
  readonly check?: { readonly highsMip?: number };
}

interface GoldenTail {
  readonly datasets: Record<string, GoldenDataset>;
  readonly cases: GoldenTailCase[];
  readonly infeasible: {
    readonly name: string;
    readonly dataset: string;
    readonly objective: TailObjective;
    readonly maxReturn?: number;
    readonly minRisk?: number;
  }[];
}

const VALUE_TOL = 1e-8;
const WEIGHT_TOL = 1e-6;

const golden: GoldenTail = JSON.parse(
  readFileSync(new URL('../../reference/tail/golden.json', import.meta.url), 'utf8'),
);

/** The scenarios of a golden dataset, built by pfopt from the same price files. */
function scenariosOf(name: string): DatedMatrix {
  const ds = golden.datasets[name] as GoldenDataset;
  let prices: DatedMatrix;
  if (name === 'stocks5') prices = loadPrices('sample:stocks');
  else if (name === 'gaps20') prices = loadPrices('reference/data/synth-20x600-gaps.csv');
  else prices = loadPrices('reference/data/synth-50x750.csv');
  const returns = historicalScenarios(prices.selectTickers(ds.tickers)).returns;
  return name === 'small10' ? returns.selectRows(Int32Array.from({ length: ds.scenarios }, (_, i) => i)) : returns;
}

const scenarioCache = new Map<string, DatedMatrix>();
function scenarios(name: string): DatedMatrix {
  let s = scenarioCache.get(name);
  if (!s) {
    s = scenariosOf(name);
    scenarioCache.set(name, s);
  }
  return s;
}

function relClose(got: number, want: number, tol: number, scale = 1e-3): void {
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(tol * Math.max(scale, Math.abs(want)));
}

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

describe('tail golden values (cvxpy: Clarabel, HiGHS, brute force)', () => {
  it('covers every objective, the constraints and the cardinality limits', () => {
    const kinds = new Set(golden.cases.map((c) => c.objective.kind));
    expect([...kinds].sort()).toEqual([
      'efficient-cdar',
      'efficient-cvar',
      'min-cdar',
      'min-cvar',
      'min-mad',
      'min-semivariance',
    ]);
    expect(golden.cases.filter((c) => c.problem.cardinality).length).toBeGreaterThanOrEqual(4);
    expect(golden.cases.filter((c) => c.unique).length).toBeGreaterThanOrEqual(15);
  });

  it('builds the same scenarios and default expected returns as the reference', () => {
    for (const [name, ds] of Object.entries(golden.datasets)) {
      const s = scenarios(name);
      expect(s.tickers, name).toEqual(ds.tickers);
      expect(s.rowCount, name).toBe(ds.scenarios);
      expect(s.isoDates()[0], name).toBe(ds.firstDate.slice(0, 10));
      expect(s.isoDates()[s.rowCount - 1], name).toBe(ds.lastDate.slice(0, 10));
      const r = optimizeTailSync({ scenarios: s, periodsPerYear: ds.periodsPerYear }, { kind: 'min-semivariance' });
      expect(r.periodsPerYear).toBe(ds.periodsPerYear);
      const w = new Float64Array(ds.tickers.length).fill(1 / ds.tickers.length);
      const mean = ds.mu.reduce((a, m) => a + m, 0) / ds.tickers.length;
      const equal = tailRiskMeasures(s.values, s.rowCount, w, ds.periodsPerYear);
      relClose(equal.meanReturn * ds.periodsPerYear, mean, 1e-12);
    }
  });

  it('recomputes every measure of the reference weights', () => {
    for (const c of golden.cases) {
      const s = scenarios(c.dataset);
      const ds = golden.datasets[c.dataset] as GoldenDataset;
      const o = c.objective as { confidence?: number; benchmark?: number };
      const m = tailRiskMeasures(s.values, s.rowCount, c.weights, ds.periodsPerYear, {
        confidence: o.confidence ?? 0.95,
        benchmark: o.benchmark ?? 0,
      });
      for (const key of Object.keys(c.measures) as (keyof GoldenTailCase['measures'])[]) {
        const want = c.measures[key];
        expect(Math.abs(m[key] - want), `${c.name} ${key}`).toBeLessThanOrEqual(1e-10 * Math.max(1e-2, Math.abs(want)));
      }
    }
  });

  for (const c of golden.cases) {
    it(`${c.name}${c.unique ? ' (unique weights)' : ''}`, { timeout: 120_000 }, () => {
      const ds = golden.datasets[c.dataset] as GoldenDataset;
      const problem = { ...c.problem, scenarios: scenarios(c.dataset), periodsPerYear: ds.periodsPerYear };
      const r = optimizeTailSync(problem, c.objective, { highs });
      expect(r.optimal).toBe(true);
      const capped = 'maxCvar' in c.objective || 'maxCdar' in c.objective;
      if (capped) {
        relClose(r.objectiveValue, c.expectedReturn, VALUE_TOL, 1e-2);
        relClose(r.expectedReturn, c.expectedReturn, VALUE_TOL, 1e-2);
        const cap =
          (c.objective as { maxCvar?: number; maxCdar?: number }).maxCvar ??
          (c.objective as { maxCdar?: number }).maxCdar;
        const risk = c.objective.kind === 'efficient-cvar' ? r.measures.cvar : r.measures.cdar;
        expect(risk).toBeLessThanOrEqual((cap as number) * (1 + 1e-9));
      } else {
        relClose(r.objectiveValue, c.risk, VALUE_TOL);
      }
      if (c.check?.highsMip !== undefined) {
        relClose(capped ? r.expectedReturn : r.objectiveValue, c.check.highsMip, VALUE_TOL, 1e-2);
      }
      if (c.unique) expect(maxDiff(r.weights, c.weights)).toBeLessThan(WEIGHT_TOL);
      const card = c.problem.cardinality;
      if (card?.maxAssets !== undefined) expect(r.heldAssets).toBeLessThanOrEqual(card.maxAssets);
      if (card?.minPosition !== undefined) {
        for (const w of r.weights) expect(w === 0 || w >= (card.minPosition as number) - 1e-9).toBe(true);
      }
    });
  }

  it('refuses the infeasible targets with the numbers', () => {
    for (const c of golden.infeasible) {
      const ds = golden.datasets[c.dataset] as GoldenDataset;
      const call = () =>
        optimizeTailSync({ scenarios: scenarios(c.dataset), periodsPerYear: ds.periodsPerYear }, c.objective, {
          highs,
        });
      expect(call, c.name).toThrow(InfeasibleError);
      try {
        call();
      } catch (error) {
        const message = (error as Error).message;
        const number = Number(/(?:maximum attainable|minimum CVaR at 95%) (-?[\d.e-]+)/.exec(message)?.[1]);
        const want = (c.maxReturn ?? c.minRisk) as number;
        relClose(number, want, 1e-5);
      }
    }
  });
});
