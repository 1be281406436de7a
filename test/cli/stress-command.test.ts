/**
 * `pfopt stress` end to end, in-process: the JSON contract and its numbers against the library functions, the S&P 500
 * episodes against the published closing levels, a hand-checkable two-asset sector shock from the command line and
 * from a scenario file, the human tables, and the messages and exit codes of bad input.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simpleReturns } from '../../src/core/returns.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { equalWeights, portfolioReturns } from '../../src/risk/portfolio-returns.js';
import {
  estimationSample,
  factorShock,
  horizonDistribution,
  marketModel,
  replayEpisodes,
  reverseStress,
  STRESS_EPISODES,
} from '../../src/risk/stress/index.js';
import { type CliRun, cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-stress-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function stress(args: string[]): Promise<CliRun> {
  return cli(['stress', ...args]);
}

async function json(args: string[]) {
  const r = await stress([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Two assets over 60 weekdays from 2021-03-01: A trends up with noise, B oscillates. */
function twoAssetPrices(): string {
  const lines = ['date,A,B'];
  let day = Date.UTC(2021, 2, 1);
  let a = 100;
  let b = 50;
  for (let i = 0; i < 60; i++) {
    const d = new Date(day);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) {
      lines.push(`${d.toISOString().slice(0, 10)},${a.toFixed(4)},${b.toFixed(4)}`);
      a *= 1 + 0.01 * Math.sin(i * 1.7) + 0.001;
      b *= 1 + 0.015 * Math.cos(i * 0.9);
    }
    day += 86_400_000;
  }
  return `${lines.join('\n')}\n`;
}

describe('pfopt stress --json', () => {
  it('prints the contract with the library numbers (stocks against the S&P 500)', async () => {
    const args = ['--prices', 'sample:stocks', '--equal', '--benchmark', 'sample:sp500'];
    const out = await json([
      ...args,
      '--market-shock',
      '-0.2',
      '--reverse-loss',
      '0.25',
      '--horizon',
      '3',
      '--paths',
      '2000',
      '--seed',
      '7',
    ]);
    expect(Object.keys(out)).toEqual([
      'source',
      'start',
      'end',
      'periodsPerYear',
      'horizon',
      'confidence',
      'weights',
      'benchmark',
      'estimation',
      'episodes',
      'bars',
      'factor',
      'scenarios',
      'reverse',
      'distribution',
    ]);
    expect([out.source, out.periodsPerYear, out.horizon, out.confidence, out.benchmark]).toEqual([
      'sample:stocks',
      12,
      3,
      0.95,
      'sample:sp500',
    ]);
    const prices = loadPrices('sample:stocks');
    const weights = equalWeights(prices.tickers);
    const returns = simpleReturns(prices);
    const p = portfolioReturns(returns, weights);
    expect(out.estimation).toEqual({
      start: p.assets.isoDates()[0],
      end: p.assets.isoDates()[p.assets.rowCount - 1],
      periods: p.assets.rowCount,
      droppedDates: p.droppedDates,
    });

    // Episodes: every built-in one, replayed or reported as not covered (null figures, never 0).
    expect(out.episodes.map((e: { id: string }) => e.id)).toEqual(STRESS_EPISODES.map((e) => e.id));
    const replays = replayEpisodes(prices, weights, STRESS_EPISODES, { benchmark: loadPrices('sample:sp500') });
    const byId = (id: string) => out.episodes.find((e: { id: string }) => e.id === id);
    const gfc = byId('gfc-2007');
    const lib = replays.find((r) => r.episode.id === 'gfc-2007');
    expect(gfc.portfolio.status).toBe('covered');
    expect(gfc.portfolio.return).toBe(lib?.portfolio.totalReturn);
    expect(gfc.portfolio.maxDrawdown).toBe(lib?.portfolio.maxDrawdown);
    expect(gfc.portfolio.worstPeriod).toBe(lib?.portfolio.worstPeriod);
    expect(gfc.benchmark.return).toBe(lib?.benchmark?.totalReturn);
    expect([gfc.portfolio.from, gfc.portfolio.to]).toEqual(['2007-09-01', '2009-03-01']);
    expect(gfc.portfolio.weights).toBeNull();
    const dotCom = byId('dot-com-2000');
    expect([dotCom.portfolio.status, dotCom.portfolio.missing, dotCom.portfolio.return]).toEqual([
      'assets-missing',
      ['GOOG'],
      null,
    ]);
    expect(dotCom.benchmark.status).toBe('covered');
    const covid = byId('covid-crash-2020');
    expect([covid.portfolio.status, covid.portfolio.return, covid.portfolio.maxDrawdown]).toEqual([
      'outside',
      null,
      null,
    ]);
    expect(out.bars.map((b: { id: string }) => b.id)).toEqual(['dot-com-2000', 'gfc-2007']);
    expect(out.bars[0].portfolio).toBeNull();
    expect(out.bars[1].portfolio).toBe(gfc.portfolio.return);

    // Factor shock: the market model on the dates where every asset and the S&P 500 have a return.
    const m = simpleReturns(loadPrices('sample:sp500'));
    const sample = estimationSample(returns, p.assets.tickers, {
      name: 'sample:sp500',
      dates: m.dates,
      returns: m.column(0),
    });
    const f = factorShock(marketModel(sample), p.weights, -0.2, { horizon: 3 });
    expect([out.factor.beta, out.factor.move, out.factor.lower, out.factor.upper]).toEqual([
      f.beta,
      f.move,
      f.lower,
      f.upper,
    ]);
    expect(out.factor.assets.AAPL.beta).toBe(f.assets.find((a) => a.ticker === 'AAPL')?.beta);

    // Reverse stress test and distribution.
    const rev = reverseStress(p.assets, p.weights, 0.25, { horizon: 3 });
    expect(out.reverse.mahalanobisDistance).toBe(rev.mahalanobisDistance);
    expect(out.reverse.probability).toBe(rev.probability);
    expect(Object.values(out.reverse.moves)).toEqual([...rev.moves]);
    let loss = 0;
    for (const [t, x] of Object.entries(out.reverse.moves)) loss += (out.weights[t] as number) * (x as number);
    expect(loss).toBeCloseTo(-0.25, 14);
    const d = horizonDistribution(p.assets, p.weights, { horizon: 3, paths: 2000, seed: 7 });
    expect(out.distribution.mean).toBe(d.mean);
    expect(Object.keys(out.distribution.percentiles)).toEqual(['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99']);
    expect(Object.values(out.distribution.percentiles)).toEqual(d.percentiles.map((x) => x.value));
    expect(out.distribution.lossProbabilities.map((x: { threshold: number }) => x.threshold)).toEqual([
      0.05, 0.1, 0.2, 0.3,
    ]);

    // Seeded: the same seed again gives the same distribution, another seed another.
    const again = await json([...args, '--horizon', '3', '--paths', '2000', '--seed', '7']);
    expect(again.distribution).toEqual(out.distribution);
    const other = await json([...args, '--horizon', '3', '--paths', '2000', '--seed', '8']);
    expect(other.distribution.mean).not.toBe(out.distribution.mean);
    expect(again.factor).toBeNull();
    expect(out.distribution.degreesOfFreedom).toBeNull();
  });

  it('keeps --tickers and the --start/--end range, and reports episodes past the range as outside', async () => {
    const out = await json([
      '--prices',
      'sample:stocks',
      '--equal',
      '--tickers',
      'MSFT,IBM',
      '--start',
      '2001-01-01',
      '--end',
      '2005-12-31',
      '--episodes',
      'dot-com-2000',
      'gfc-2007',
      '--paths',
      '200',
    ]);
    expect(out.weights).toEqual({ MSFT: 0.5, IBM: 0.5 });
    expect([out.start, out.end]).toEqual(['2001-01-01', '2005-12-01']);
    const [dotCom, gfc] = out.episodes;
    // The dot-com crash began before the range: only its end is in the data.
    expect([dotCom.portfolio.status, dotCom.portfolio.return]).toEqual(['partial', null]);
    expect([gfc.portfolio.status, gfc.portfolio.from, gfc.portfolio.return]).toEqual(['outside', null, null]);
    expect(out.bars).toEqual([]);
  });

  it('replays an episode without an asset that has no prices in it, the others rescaled, on request', async () => {
    const out = await json([
      '--prices',
      'sample:stocks',
      '--equal',
      '--episodes',
      'dot-com-2000',
      '--missing-assets',
      'renormalize',
      '--model',
      'student-t',
      '--paths',
      '500',
    ]);
    const [dotCom] = out.episodes;
    expect([dotCom.portfolio.status, dotCom.portfolio.missing]).toEqual(['covered', ['GOOG']]);
    // Four of five equal weights remain: each 0.2 * (1 / 0.8).
    expect(dotCom.portfolio.weights).toEqual({ MSFT: 0.25, AMZN: 0.25, IBM: 0.25, AAPL: 0.25 });
    const replay = replayEpisodes(
      loadPrices('sample:stocks').selectTickers(['MSFT', 'AMZN', 'IBM', 'AAPL']),
      { MSFT: 0.25, AMZN: 0.25, IBM: 0.25, AAPL: 0.25 },
      STRESS_EPISODES.filter((e) => e.id === 'dot-com-2000'),
    );
    expect(dotCom.portfolio.return).toBe(replay[0]?.portfolio.totalReturn);
    expect(dotCom.benchmark).toBeNull();
    expect(out.distribution.model).toBe('student-t');
    expect(out.distribution.degreesOfFreedom).toBeGreaterThan(2);
  });

  it('replays the S&P 500 over the COVID crash to the published closing levels', async () => {
    const out = await json(['--prices', 'sample:sp500-daily', '--equal', '--episodes', 'covid-crash-2020,gfc-2007']);
    expect(out.episodes.map((e: { id: string }) => e.id)).toEqual(['covid-crash-2020', 'gfc-2007']);
    const [covid, gfc] = out.episodes;
    // S&P 500 closes: 3386.15 on 2020-02-19 to 2237.40 on 2020-03-23; 1565.15 on 2007-10-09 to 676.53 on 2009-03-09.
    expect(covid.portfolio.return).toBeCloseTo(2237.4 / 3386.15 - 1, 7);
    expect(covid.portfolio.maxDrawdown).toBeCloseTo(2237.4 / 3386.15 - 1, 7);
    expect([covid.portfolio.from, covid.portfolio.to]).toEqual(['2020-02-19', '2020-03-23']);
    expect(covid.portfolio.worstPeriodDate).toBe('2020-03-16');
    expect(gfc.portfolio.return).toBeCloseTo(676.53 / 1565.15 - 1, 7);
    expect(out.horizon).toBe(21);
  });

  it('applies a sector shock to a two-asset portfolio, from the command line and from a scenario file', async () => {
    const prices = file('two.csv', twoAssetPrices());
    const weights = file('w.csv', 'ticker,weight\nA,0.6\nB,0.4\n');
    const sectors = file('sectors.csv', 'ticker,sector\nA,Tech\nB,Energy\n');
    const scenarios = file(
      'scenarios.json',
      JSON.stringify({
        scenarios: [
          { name: 'tech down', description: 'Tech falls 10%', sectors: { Tech: -0.1 } },
          { name: 'both', assets: { A: -0.2, B: 0.05 } },
          { name: 'propagated', assets: { A: -0.1 }, propagate: true },
        ],
      }),
    );
    const base = ['--prices', prices, '--weights', weights, '--sectors', sectors];
    const out = await json([...base, '--scenarios', scenarios, '--sector-shock', 'Tech=-0.1']);
    const [tech, both, propagated, cmd] = out.scenarios;
    expect([tech.name, tech.source, tech.description, tech.band]).toEqual([
      'tech down',
      'file',
      'Tech falls 10%',
      null,
    ]);
    expect(tech.pnl).toBeCloseTo(0.6 * -0.1, 15);
    expect(tech.assets.A).toEqual({
      weight: 0.6,
      move: -0.1,
      origin: 'sector',
      contribution: 0.6 * -0.1,
      lower: -0.1,
      upper: -0.1,
    });
    expect(tech.assets.B.origin).toBe('none');
    expect(tech.sectors).toEqual({ Tech: { weight: 0.6, pnl: 0.6 * -0.1 }, Energy: { weight: 0.4, pnl: 0 } });
    expect(both.pnl).toBeCloseTo(0.6 * -0.2 + 0.4 * 0.05, 15);
    // Propagated: B moves by its regression on A, S_BA / S_AA times -0.1, with a band.
    expect(propagated.assets.B.origin).toBe('propagated');
    expect(propagated.conditionedOn).toEqual(['A']);
    expect(propagated.band.lower).toBeLessThan(propagated.pnl);
    expect([cmd.name, cmd.source, cmd.pnl]).toEqual(['command line', 'command line', tech.pnl]);
  });

  it('leaves out the reverse stress test of a portfolio without variance, unless asked for it', async () => {
    const prices = file('flat.csv', 'date,F,G\n2021-01-04,10,5\n2021-01-05,10,6\n2021-01-06,10,5.5\n2021-01-07,10,6\n');
    const weights = file('flat-w.csv', 'ticker,weight\nF,1\n');
    const r = await stress(['--prices', prices, '--weights', weights, '--json', '--paths', '100']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).reverse).toBeNull();
    expect(r.stderr).toMatch(/no reverse stress test: the portfolio's variance w'Sw over the estimation dates is 0/);
    const asked = await stress(['--prices', prices, '--weights', weights, '--reverse-loss', '0.1']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/variance w'Sw .* is 0, so no market move .* produces a loss/);
  });
});

describe('pfopt stress for people', () => {
  it('prints the episodes beside the benchmark and each analysis as a table', async () => {
    const r = await stress([
      '--prices',
      'sample:stocks',
      '--equal',
      '--benchmark',
      'sample:sp500',
      '--market-shock',
      '-0.2',
      '--asset-shock',
      'AAPL=-0.3',
      '--paths',
      '1000',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sample:stocks: portfolio of 5 assets/);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Historical episodes (benchmark sample:sp500)');
    expect(lines[1]).toMatch(
      /^episode +dates +return +max drawdown +worst month +benchmark +bench\. max DD +bench\. worst month$/,
    );
    const gfc = lines.find((l) => l.startsWith('Global financial crisis')) as string;
    expect(gfc).toMatch(/2007-10-09 to 2009-03-09 +-\d+\.\d\d% +-\d+\.\d\d% +-\d+\.\d\d% 2008-\d\d /);
    expect(lines.find((l) => l.startsWith('COVID-19 crash'))).toMatch(/not in the data/);
    expect(lines.find((l) => l.startsWith('Dot-com crash'))).toMatch(/assets missing/);
    expect(r.stdout).toMatch(/Dot-com crash: GOOG without prices/);
    expect(r.stdout).toMatch(/each episode runs from the last month-end close at or before its start/);
    expect(r.stdout).toMatch(/^Market shock -20\.00% over 1 period: beta \d\.\d{3}, portfolio -\d+\.\d\d% \(95% band/m);
    expect(r.stdout).toMatch(/^Scenario "command line": portfolio -6\.00%$/m);
    expect(r.stdout).toMatch(/^Reverse stress test: a loss of 20\.00% over 1 period$/m);
    expect(r.stdout).toMatch(/^Value of 1 invested after 1 period \(normal, 1000 paths, seed 0\); mean \d\.\d{4}$/m);
  });
});

describe('pfopt stress errors', () => {
  it('explains bad input with one message and a non-zero exit code', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--prices', 'sample:stocks'], 2, /pfopt stress needs a portfolio: pass --weights FILE or --equal/],
      [['--prices', 'sample:stocks', '--equal', '--weights', 'w.csv'], 2, /either --weights FILE or --equal/],
      [
        ['--prices', 'sample:stocks', '--equal', '--market-shock', '-0.2'],
        2,
        /--market-shock needs the market: pass --benchmark/,
      ],
      [['--prices', 'sample:stocks', '--equal', '--market-shock', '-2'], 2, /at least -1/],
      [['--prices', 'sample:stocks', '--equal', '--reverse-loss', '0'], 2, /--reverse-loss/],
      [['--prices', 'sample:stocks', '--equal', '--episodes', 'gfc-2008'], 2, /unknown stress episode "gfc-2008"/],
      [['--prices', 'sample:stocks', '--equal', '--asset-shock', 'AAPL'], 2, /expected NAME=MOVE/],
      [
        ['--prices', 'sample:stocks', '--equal', '--asset-shock', 'NOPE=-0.1'],
        3,
        /moves "NOPE", which is not in the data/,
      ],
      [['--prices', 'sample:stocks', '--equal', '--sector-shock', 'Tech=-0.1'], 2, /needs a sector map \(--sectors\)/],
      [
        ['--prices', 'sample:stocks', '--equal', '--scenarios', join(dir, 'none.json')],
        3,
        /cannot read the scenario file .*none\.json: there is no such file/,
      ],
      [['--prices', 'sample:nope', '--equal'], 3, /sample/],
      [['--prices', 'sample:stocks', '--equal', '--horizon', '0'], 2, /--horizon/],
    ];
    for (const [args, code, message] of cases) {
      const r = await stress(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('names the scenario file, the scenario and the bad key', async () => {
    const bad = file('bad.json', JSON.stringify({ scenarios: [{ name: 'crash', asets: { AAPL: -0.3 } }] }));
    const r = await stress(['--prices', 'sample:stocks', '--equal', '--scenarios', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /bad\.json: scenario 1 \("crash"\): unknown key "asets"; the keys are name, description, assets/,
    );
    const value = file('value.json', '[{"name": "crash", "market": "-0.3"}]');
    const v = await stress([
      '--prices',
      'sample:stocks',
      '--equal',
      '--benchmark',
      'sample:sp500',
      '--scenarios',
      value,
    ]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/value\.json: scenario 1 \("crash"\): "market" must be a number, found string "-0\.3"/);
    const notJson = file('broken.json', '{"scenarios": [');
    const j = await stress(['--prices', 'sample:stocks', '--equal', '--scenarios', notJson]);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/broken\.json is not valid JSON/);
  });
});
