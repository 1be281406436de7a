/**
 * `pfopt optimize --returns-model black-litterman`: the posterior reaches every objective and the frontier, the
 * `blackLitterman` JSON member agrees with the library on the same covariance, the risk aversion is given, defaulted
 * or implied by a market index, and every problem with the views or market-caps file is one message naming the file.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPrices } from '../../src/data/load-prices.js';
import { sampleCovariance } from '../../src/estimate/covariance.js';
import { ledoitWolf } from '../../src/estimate/shrinkage.js';
import {
  blackLitterman,
  marketImpliedRiskAversion,
  marketWeights,
  parseViews,
} from '../../src/optimize/black-litterman.js';
import { cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-bl-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VIEWS = 'docs/examples/bl-views.json';
const CAPS = 'docs/examples/bl-market-caps.csv';
const caps = { MSFT: 256e9, AMZN: 58e9, IBM: 167e9, GOOG: 180e9, AAPL: 213e9 };
const exampleViews = {
  views: [{ AAPL: 0.1 }, { long: 'GOOG', short: 'MSFT', return: 0.02 }],
  confidences: [0.6, 0.3],
};

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(args: string[]) {
  return cli(['optimize', '--prices', 'sample:stocks', '--returns-model', 'black-litterman', ...args]);
}

async function json(args: string[]) {
  const r = await run([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function maxDiff(a: Record<string, number>, b: ArrayLike<number>, tickers: readonly string[]): number {
  expect(Object.keys(a)).toEqual([...tickers]);
  return Math.max(...tickers.map((t, i) => Math.abs((a[t] as number) - (b[i] as number))));
}

/** mu'w and sqrt(w'Sw) of the JSON weights. */
function performance(
  weights: Record<string, number>,
  tickers: readonly string[],
  mu: ArrayLike<number>,
  S: ArrayLike<number>,
) {
  const n = tickers.length;
  const w = tickers.map((t) => weights[t] as number);
  let ret = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    ret += (mu[i] as number) * (w[i] as number);
    for (let j = 0; j < n; j++) variance += (w[i] as number) * (S[i * n + j] as number) * (w[j] as number);
  }
  return { ret, vol: Math.sqrt(variance) };
}

describe('pfopt optimize --returns-model black-litterman', () => {
  const prices = loadPrices('sample:stocks');
  const S = sampleCovariance(prices);

  it('optimises the posterior and reports prior, posterior and implied weights as the library computes them', async () => {
    const out = await json([
      '--objective',
      'max-sharpe',
      '--views',
      VIEWS,
      '--market-caps',
      CAPS,
      '--risk-free',
      '0.01',
    ]);
    const lib = blackLitterman({
      covariance: S,
      views: parseViews(exampleViews),
      marketCaps: caps,
      riskAversion: 2.5,
      tau: 0.05,
      riskFreeRate: 0.01,
    });
    const bl = out.blackLitterman;
    expect(out.returnsModel).toBe('black-litterman');
    expect(bl).toMatchObject({
      tau: 0.05,
      riskAversion: 2.5,
      riskAversionSource: 'default',
      riskFreeRate: 0.01,
      omegaMethod: 'idzorek',
      covariance: 'posterior',
      viewsFile: VIEWS,
      marketCapsFile: CAPS,
    });
    expect(bl.views).toEqual([
      { asset: 'AAPL', return: 0.1, confidence: 0.6, omega: lib.omega[0] },
      { long: 'GOOG', short: 'MSFT', return: 0.02, confidence: 0.3, omega: lib.omega[1] },
    ]);
    expect(maxDiff(bl.prior, lib.prior, S.tickers)).toBe(0);
    expect(maxDiff(bl.posterior, lib.expectedReturns.values, S.tickers)).toBe(0);
    expect(maxDiff(bl.impliedWeights, lib.weights as Float64Array, S.tickers)).toBe(0);
    expect(maxDiff(bl.marketWeights, marketWeights(caps, S.tickers), S.tickers)).toBe(0);
    // The prior is delta S w_mkt + rf: AAPL's view of 10% pulls its posterior from the prior towards 10%.
    const a = S.tickers.indexOf('AAPL');
    const towards = Math.sign(0.1 - (lib.prior[a] as number));
    expect(towards * ((bl.posterior.AAPL as number) - (lib.prior[a] as number))).toBeGreaterThan(0);
    // The reported performance is measured by the posterior mean and covariance.
    const { ret, vol } = performance(out.weights, S.tickers, lib.expectedReturns.values, lib.covariance.values);
    expect(out.performance.expectedReturn).toBeCloseTo(ret, 12);
    expect(out.performance.volatility).toBeCloseTo(vol, 12);
    expect(out.performance.sharpe).toBeCloseTo((ret - 0.01) / vol, 12);
  });

  it('says how the posterior was formed, on stderr', async () => {
    const r = await run(['--objective', 'min-volatility', '--views', VIEWS, '--market-caps', CAPS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/returns model black-litterman, risk model sample/);
    expect(r.stderr).toMatch(
      /Black-Litterman: market-implied prior \(delta 2\.5, the default \(set --bl-delta or --market-index\), tau 0\.05\) with 2 views from docs\/examples\/bl-views\.json \(Omega by idzorek\)/,
    );
    expect(r.stdout).toMatch(/Minimum volatility/);
  });

  it('serves every mean-variance objective, an allocation rule and the frontier', async () => {
    const common = ['--views', VIEWS, '--market-caps', CAPS, '--bl-delta', '3', '--tau', '0.1'];
    const lib = blackLitterman({
      covariance: S,
      views: parseViews(exampleViews),
      marketCaps: caps,
      riskAversion: 3,
      tau: 0.1,
    });
    for (const objective of [
      ['max-utility', '--risk-aversion', '3'],
      ['efficient-risk', '--target-volatility', '0.3'],
      ['efficient-return', '--target-return', '0.1'],
      ['risk-parity'],
    ]) {
      const out = await json(['--objective', ...objective, ...common]);
      expect(out.blackLitterman.riskAversion).toBe(3);
      expect(out.blackLitterman.riskAversionSource).toBe('given');
      expect(out.blackLitterman.tau).toBe(0.1);
      const { ret, vol } = performance(out.weights, S.tickers, lib.expectedReturns.values, lib.covariance.values);
      expect(out.performance.expectedReturn).toBeCloseTo(ret, 12);
      expect(out.performance.volatility).toBeCloseTo(vol, 12);
    }
    // With delta = 3 and the posterior covariance, max-utility without bounds is the unconstrained optimum
    // (delta S_BL)^-1 (mu - rf) rescaled to the budget: the posterior-covariance implied weights.
    const unconstrained = await json([
      '--objective',
      'max-utility',
      '--risk-aversion',
      '3',
      '--bounds',
      '-10,10',
      ...common,
    ]);
    const n = S.tickers.length;
    const mu = lib.expectedReturns.values;
    // Budget-constrained optimum: w = (S_BL^-1 mu) / delta + lambda S_BL^-1 1; check the KKT condition instead:
    // delta S_BL w - mu is the same for every asset (the budget's multiplier).
    const w = S.tickers.map((t) => unconstrained.weights[t] as number);
    const g = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) s += (lib.covariance.values[i * n + j] as number) * (w[j] as number);
      return 3 * s - (mu[i] as number);
    });
    for (const x of g) expect(x).toBeCloseTo(g[0] as number, 8);
    const r = await cli([
      'frontier',
      '--prices',
      'sample:stocks',
      '--returns-model',
      'black-litterman',
      ...common,
      '--points',
      '5',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(r.stdout);
    expect(f.maxReturn).toBeCloseTo(Math.max(...mu), 10);
    expect(f.minVolatility.blackLitterman.posterior.AAPL).toBe(mu[S.tickers.indexOf('AAPL')]);
  });

  it('without views the posterior is the prior and the implied weights are the market weights', async () => {
    const out = await json(['--objective', 'max-sharpe', '--market-caps', CAPS]);
    const bl = out.blackLitterman;
    expect(bl.viewsFile).toBeNull();
    expect(bl.views).toEqual([]);
    expect(bl.posterior).toEqual(bl.prior);
    const total = Object.values(caps).reduce((s, c) => s + c, 0);
    for (const t of S.tickers) {
      expect(Math.abs(bl.impliedWeights[t] - caps[t as keyof typeof caps] / total)).toBeLessThan(1e-12);
    }
    // pi = delta S w_mkt by hand.
    const n = S.tickers.length;
    S.tickers.forEach((t, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) {
        s += (S.values[i * n + j] as number) * (caps[S.tickers[j] as keyof typeof caps] / total);
      }
      expect(Math.abs(bl.prior[t] - 2.5 * s)).toBeLessThan(1e-15);
    });
  });

  it('an absolute view held with 100% confidence sets that asset to the view', async () => {
    const views = file('certain.json', JSON.stringify({ views: [{ IBM: 0.07 }], confidences: [1] }));
    const out = await json(['--objective', 'min-volatility', '--views', views, '--market-caps', CAPS]);
    expect(Math.abs(out.blackLitterman.posterior.IBM - 0.07)).toBeLessThan(1e-15);
    expect(out.blackLitterman.views[0].omega).toBe(0);
  });

  it('uses the covariance of --risk-model', async () => {
    const out = await json([
      '--objective',
      'min-volatility',
      '--risk-model',
      'ledoit-wolf',
      '--views',
      VIEWS,
      '--market-caps',
      CAPS,
    ]);
    const lw = ledoitWolf(prices, { target: 'constant-variance' });
    const lib = blackLitterman({
      covariance: lw,
      views: parseViews(exampleViews),
      marketCaps: caps,
      riskAversion: 2.5,
    });
    expect(maxDiff(out.blackLitterman.prior, lib.prior, lw.tickers)).toBe(0);
    expect(maxDiff(out.blackLitterman.posterior, lib.expectedReturns.values, lw.tickers)).toBe(0);
  });

  it('implies delta from a market index: a price file or sample, or a ticker of the data left out of the portfolio', async () => {
    // The index is cut to the dates of the prices: 2003-03 to 2007-10 was a rising market.
    const fromSample = await json([
      '--objective',
      'max-sharpe',
      '--views',
      VIEWS,
      '--market-caps',
      CAPS,
      '--market-index',
      'sample:sp500-daily',
      '--risk-free',
      '0.01',
      '--start',
      '2003-03-01',
      '--end',
      '2007-10-01',
    ]);
    const index = loadPrices('sample:sp500-daily').between('2003-03-01', '2007-10-01');
    const delta = marketImpliedRiskAversion(index, { riskFreeRate: 0.01 });
    expect(fromSample.blackLitterman).toMatchObject({
      riskAversion: delta,
      riskAversionSource: 'market-index',
      marketIndex: 'sample:sp500-daily',
    });
    // Delta is a pure number: the daily index gives an annual delta whatever the frequency of the assets.
    expect(delta).toBeGreaterThan(0.5);
    expect(delta).toBeLessThan(10);

    const views = file('no-aapl.json', JSON.stringify({ views: [{ long: 'GOOG', short: 'MSFT', return: 0.02 }] }));
    const out = await json([
      '--objective',
      'max-sharpe',
      '--views',
      views,
      '--market-caps',
      CAPS,
      '--market-index',
      'AAPL',
    ]);
    expect(Object.keys(out.weights)).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG']);
    expect(out.blackLitterman.riskAversion).toBe(marketImpliedRiskAversion(prices.selectTickers(['AAPL'])));
    expect(out.blackLitterman.omegaMethod).toBe('he-litterman');
    // A view on the index, now outside the portfolio, is refused by name.
    const r = await run([
      '--objective',
      'max-sharpe',
      '--views',
      VIEWS,
      '--market-caps',
      CAPS,
      '--market-index',
      'AAPL',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /bl-views\.json: views\[0\] names "AAPL", which is not among the assets \(MSFT, AMZN, IBM, GOOG\)/,
    );
  });

  it('refuses a market index that lost money on average over the dates of the prices (no positive delta)', async () => {
    // 2000-01 to 2010-03, the dates of sample:stocks: the S&P 500 fell.
    const r = await run(['--objective', 'max-sharpe', '--market-caps', CAPS, '--market-index', 'sample:sp500-daily']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not exceed the risk-free rate .*give the risk aversion \(delta\) directly/);
  });

  it('names the views file and what to change', async () => {
    const cases: [string, RegExp][] = [
      ['{"views": [{"XOM": 0.1}]}', /views\[0\] names "XOM", which is not among the assets/],
      ['{"views": [{"AAPL": 0.1},]}', /is not valid JSON .*write \{"views"/],
      ['{"views": [{"long": "AAPL", "short": "MSFT"}]}', /views\[0\]: the member "return" is missing/],
      ['{"view": [{"AAPL": 0.1}]}', /the member "views" is missing/],
      ['{"views": [{"AAPL": 0.1}], "confidences": [0]}', /confidences\[0\] is 0; a confidence is a fraction above 0/],
      ['{"views": [{"AAPL": 0.1}], "confidences": [1.2]}', /confidences\[0\] is 1\.2/],
      ['{"views": [{"AAPL": "10%"}]}', /the return of "AAPL" is "10%"; it must be a finite number \(annual/],
    ];
    for (const [k, [text, message]] of cases.entries()) {
      const path = file(`bad-${k}.json`, text);
      const r = await run(['--objective', 'max-sharpe', '--views', path, '--market-caps', CAPS]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    const missing = await run(['--objective', 'max-sharpe', '--views', join(dir, 'nope.json'), '--market-caps', CAPS]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the views file .*nope\.json: there is no such file/);
  });

  it('checks the market caps and the combination of options', async () => {
    const partial = file('caps.csv', 'ticker,market_cap\nMSFT,1\nAAPL,2\n');
    const cases: [string[], number, RegExp][] = [
      [['--market-caps', partial], 3, /caps\.csv: no market capitalisation for AMZN, IBM, GOOG/],
      [
        ['--market-caps', file('neg.json', '{"MSFT": 1, "AMZN": -1, "IBM": 1, "GOOG": 1, "AAPL": 1}')],
        3,
        /neg\.json: the market capitalisation of AMZN is -1/,
      ],
      [['--views', VIEWS], 2, /needs --market-caps FILE/],
      [['--market-caps', CAPS, '--bl-delta', '2', '--market-index', 'sample:sp500-daily'], 2, /not both/],
      [['--market-caps', CAPS, '--tau', '0'], 2, /--tau/],
    ];
    for (const [args, code, message] of cases) {
      const r = await run(['--objective', 'max-sharpe', ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    for (const flag of [
      ['--views', VIEWS],
      ['--market-caps', CAPS],
      ['--tau', '0.1'],
      ['--bl-delta', '2'],
      ['--market-index', 'sample:sp500-daily'],
    ]) {
      const r = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'max-sharpe', ...flag]);
      expect(r.code).toBe(2);
      const alsoCaps = flag[0] === '--market-caps' ? ' (or to --objective market-cap)' : '';
      expect(r.stderr).toContain(`${flag[0]} applies to --returns-model black-litterman${alsoCaps}, not cagr`);
    }
  });
});
