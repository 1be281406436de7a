import { describe, expect, it } from 'vitest';
import { loadPrices } from '../../src/data/load-prices.js';
import { sampleCovariance } from '../../src/estimate/covariance.js';
import { geometricReturn } from '../../src/estimate/expected-returns.js';
import { historicalScenarios } from '../../src/estimate/scenarios.js';
import { optimizeTail, tailRiskMeasures } from '../../src/optimize/index.js';
import { cli } from './run.js';

const prices = loadPrices('sample:stocks');
const scenarios = historicalScenarios(prices);

async function tailJson(args: string[]) {
  const r = await cli(['optimize', '--prices', 'sample:stocks', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** The measures of the printed weights, recomputed from the scenarios of the sample. */
function measuresOf(weights: Record<string, number>, confidence = 0.95, benchmark = 0) {
  const w = scenarios.tickers.map((t) => weights[t] as number);
  return tailRiskMeasures(scenarios.returns.values, scenarios.count, w, 12, { confidence, benchmark });
}

describe('pfopt optimize with the tail objectives', () => {
  it('prints the JSON shape of the other objectives plus the tail measures, as the library computes them', async () => {
    const out = await tailJson(['--objective', 'min-cvar', '--confidence', '0.9', '--risk-free', '0.01']);
    expect(Object.keys(out.weights)).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    const sum = Object.values(out.weights as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(Object.keys(out.performance).sort()).toEqual(['expectedReturn', 'sharpe', 'sortino', 'volatility']);
    const m = measuresOf(out.weights, 0.9);
    expect(out.cvar).toBe(m.cvar);
    expect(out.var).toBe(m.valueAtRisk);
    expect(out.cdar).toBe(m.cdar);
    expect(out.mad).toBe(m.mad);
    expect(out.semideviation).toBe(m.semideviation);
    expect(out.objectiveValue).toBe(out.cvar);
    expect(out.confidence).toBe(0.9);
    expect(out.scenarios).toEqual({ count: 67, first: '2004-09-01', last: '2010-03-01', droppedDates: 55 });
    expect(out.warnings.join(' ')).toMatch(/55 of 122 return dates were left out/);
    expect(out.returnsModel).toBe('cagr');
    expect(out.solver).toBe('highs');
    const lib = await optimizeTail(
      {
        scenarios,
        expectedReturns: geometricReturn(prices).values,
        covariance: sampleCovariance(prices).values,
        riskFreeRate: 0.01,
      },
      { kind: 'min-cvar', confidence: 0.9 },
    );
    expect(out.weights).toEqual(lib.weightsByTicker);
    expect(out.performance.expectedReturn).toBe(lib.expectedReturn);
    expect(out.performance.volatility).toBe(lib.volatility);
    expect(out.performance.sharpe).toBe(lib.sharpe);
  });

  it('runs every tail objective, each optimal for its own measure among the others', async () => {
    const cvar = await tailJson(['--objective', 'min-cvar']);
    const cdar = await tailJson(['--objective', 'min-cdar']);
    const mad = await tailJson(['--objective', 'min-mad']);
    const semi = await tailJson(['--objective', 'min-semivariance', '--semivariance-benchmark', '0.001']);
    expect(semi.semivarianceBenchmark).toBe(0.001);
    expect(semi.solver).toBe('active-set');
    expect(semi.objectiveValue).toBe(measuresOf(semi.weights, 0.95, 0.001).semivariance);
    for (const other of [cdar, mad]) expect(cvar.cvar).toBeLessThanOrEqual(other.cvar + 1e-12);
    for (const other of [cvar, mad]) expect(cdar.cdar).toBeLessThanOrEqual(other.cdar + 1e-12);
    for (const other of [cvar, cdar]) expect(mad.mad).toBeLessThanOrEqual(other.mad + 1e-12);
    const cap = cvar.cvar * 1.2;
    const eff = await tailJson(['--objective', 'efficient-cvar', '--max-cvar', String(cap)]);
    expect(eff.cvar).toBeLessThanOrEqual(cap * (1 + 1e-9));
    expect(eff.performance.expectedReturn).toBeGreaterThan(cvar.performance.expectedReturn);
    const target = await tailJson(['--objective', 'efficient-cvar', '--target-return', '0.15']);
    expect(target.performance.expectedReturn).toBeGreaterThanOrEqual(0.15 - 1e-9);
  });

  it('applies bounds and the cardinality limits', async () => {
    const out = await tailJson([
      '--objective',
      'min-mad',
      '--bounds',
      '0,0.6',
      '--max-assets',
      '2',
      '--min-position',
      '0.45',
    ]);
    const held = Object.values(out.weights as Record<string, number>).filter((w) => w !== 0);
    expect(held.length).toBe(2);
    for (const w of held) {
      expect(w).toBeGreaterThanOrEqual(0.45 - 1e-12);
      expect(w).toBeLessThanOrEqual(0.6 + 1e-12);
    }
    expect(out.heldAssets).toBe(2);
    expect(out.optimal).toBe(true);
  });

  it('prints a table by default', async () => {
    const r = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'min-cdar']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Minimum CDaR/);
    expect(r.stdout).toMatch(/CVaR 95% per period/);
    expect(r.stdout).toMatch(/uncompounded/);
  });

  it('refuses flags that do not apply and explains infeasible caps (exit codes 2 and 4)', async () => {
    const run = (args: string[]) => cli(['optimize', '--prices', 'sample:stocks', ...args]);
    let r = await run(['--objective', 'efficient-cvar']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs exactly one of --max-cvar/);
    r = await run(['--objective', 'min-volatility', '--confidence', '0.9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--confidence applies to --objective min-cvar, efficient-cvar, min-cdar/);
    r = await run(['--objective', 'min-semivariance', '--max-assets', '2']);
    expect(r.code).toBe(2);
    r = await run(['--objective', 'min-cvar', '--max-leverage', '1.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-leverage is not supported by --objective min-cvar/);
    r = await run(['--objective', 'min-cvar', '--confidence', '1.5']);
    expect(r.code).toBe(2);
    r = await run(['--objective', 'efficient-cvar', '--max-cvar', '0.01']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /CVaR at 95% cap 0.01 \(per period\) is below the minimum CVaR at 95% 0.1132\d* attainable/,
    );
    r = await run(['--objective', 'min-cvar', '--target-return', '5']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/target return 5 is above the maximum attainable/);
  });
});
