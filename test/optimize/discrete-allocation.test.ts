import type { Highs, ModelData } from 'highs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  allocateExact,
  allocateGreedy,
  type ShareAllocation,
  type TickerValues,
} from '../../src/optimize/discrete-allocation.js';
import { greedyLots } from '../../src/optimize/discrete-allocation-greedy.js';
import { solveLotMilp } from '../../src/optimize/discrete-allocation-milp.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';

/** Ticker -> shares over every position, zeros included, in the reported order. */
function sharesOf(result: ShareAllocation): [string, number][] {
  return result.positions.map((p) => [p.ticker, p.shares]);
}

describe('allocateGreedy: hand-worked examples', () => {
  it('rounds down, tops up the most under-weight asset, and stops at a zero deficit', () => {
    // Weights A 0.5, B 0.3, C 0.2; prices 30, 45, 70; budget 1000.
    // Round 1: A floor(500/30) = 16 (480), B floor(300/45) = 6 (270), C floor(200/70) = 2 (140); 890 spent, 110 left.
    // Step 1: invested 890; current A .53933, B .30337, C .15730; deficits A -.03933, B -.00337, C +.04270, all
    //   affordable: buy one C (70); 960 spent, 40 left.
    // Step 2: invested 960; current A .5, B .28125, C .21875; only A (30) is affordable and its deficit is exactly
    //   0.5 - 480/960 = 0: stop, 40 left over (PyPortfolioOpt does not buy an asset already at its target).
    const r = allocateGreedy({ A: 0.5, B: 0.3, C: 0.2 }, { A: 30, B: 45, C: 70 }, 1000);
    expect(sharesOf(r)).toEqual([
      ['A', 16],
      ['B', 6],
      ['C', 3],
    ]);
    expect(r.leftover).toBe(40);
    expect(r.shares).toEqual({ A: 16, B: 6, C: 3 });
    expect(r.method).toBe('greedy');
    expect(r.warnings).toEqual([]);
    // Achieved weights are fractions of the budget: 480/1000, 270/1000, 210/1000.
    expect(r.positions.map((p) => p.weight)).toEqual([0.48, 0.27, 0.21]);
    expect(r.positions.map((p) => p.value)).toEqual([480, 270, 210]);
    expect(r.absoluteError).toBeCloseTo(0.02 + 0.03 + 0.01, 15);
    expect(r.rmse).toBeCloseTo(Math.sqrt((0.02 ** 2 + 0.03 ** 2 + 0.01 ** 2) / 3), 15);
    // lp_portfolio objective: |500-480| + |300-270| + |200-210| + 40 = 100 = budget * absoluteError + leftover.
    expect(r.objective).toBeCloseTo(100, 9);
    expect(r.sides).toEqual([{ side: 'long', budget: 1000, invested: 960, leftover: 40, objective: r.objective }]);
  });

  it('skips an unaffordable asset with the largest deficit and buys the next one', () => {
    // Weights A .4, B .3, C .2, D .1; prices 250, 10, 120, 10; budget 1000.
    // Round 1: A 1 (250), B 30 (300), C floor(200/120) = 1 (120), D 10 (100); 770 spent, 230 left.
    // Step 1: invested 770; deficits A .4-250/770 = .07532, B -.08961, C .2-120/770 = .04416, D -.02987. A costs
    //   250 > 230: skipped; C is the best affordable one: buy C; 890 spent, 110 left.
    // Step 2: invested 890; deficits A .11910 (unaffordable), B -.03708, C -.06966, D -.01236: the best affordable
    //   deficit is negative: stop with 110 left.
    const r = allocateGreedy({ A: 0.4, B: 0.3, C: 0.2, D: 0.1 }, { A: 250, B: 10, C: 120, D: 10 }, 1000);
    expect(sharesOf(r)).toEqual([
      ['A', 1],
      ['B', 30],
      ['C', 2],
      ['D', 10],
    ]);
    expect(r.leftover).toBe(110);
  });

  it('breaks ties by ticker, whatever the input order', () => {
    // Weights Z .4, X .3, Y .3 (order Z, X, Y: X and Y tie on weight, X first); prices X 40, Y 40, Z 10; budget 100.
    // Round 1: Z 4 (40), X floor(30/40) = 0, Y 0; 60 left. Step 1: invested 40; deficits Z -.6, X .3, Y .3: X and Y
    //   tie, X comes first: buy X; 20 left. Step 2: only Z is affordable, deficit .4 - 40/80 < 0: stop.
    const prices = { X: 40, Y: 40, Z: 10 };
    const a = allocateGreedy({ Y: 0.3, X: 0.3, Z: 0.4 }, prices, 100);
    const b = allocateGreedy(
      new Map([
        ['X', 0.3],
        ['Z', 0.4],
        ['Y', 0.3],
      ]),
      new Map(Object.entries(prices)),
      100,
    );
    expect(sharesOf(a)).toEqual([
      ['Z', 4],
      ['X', 1],
      ['Y', 0],
    ]);
    expect(b).toEqual(a);
    expect(a.shares).toEqual({ Z: 4, X: 1 });
    expect(a.leftover).toBe(20);
  });

  it('buys whole lots', () => {
    // Weights A .5, B .5; A costs 12 with lots of 100 (1,200 a lot), B costs 5 in single shares; budget 3,000.
    // Round 1: A floor(1500/1200) = 1 lot (1,200), B floor(1500/5) = 300 shares (1,500); 300 left.
    // Step 1: invested 2,700; deficits A .5-1200/2700 = .0556 (1,200 > 300: unaffordable), B .5-1500/2700 = -.0556:
    //   stop with 300 left.
    const r = allocateGreedy({ A: 0.5, B: 0.5 }, { A: 12, B: 5 }, 3000, { lotSizes: { A: 100 } });
    expect(r.positions.map((p) => [p.ticker, p.lots, p.shares, p.lotSize, p.value])).toEqual([
      ['A', 1, 100, 100, 1200],
      ['B', 300, 300, 1, 1500],
    ]);
    expect(r.leftover).toBe(300);
  });

  it('greedyLots follows the rule on raw arrays', () => {
    // Targets .6/.4, lot costs 30/30, budget 100: round 1 gives 2 and 1 lots (90), 10 left: nothing affordable.
    expect([
      ...greedyLots({ targets: Float64Array.of(0.6, 0.4), lotCosts: Float64Array.of(30, 30), budget: 100 }),
    ]).toEqual([2, 1]);
    // Nothing invested yet (targets .5/.5, lot costs 60/70, budget 100): current weights count as 0, so the
    // deficits are the targets; the tie goes to the first item; then 40 is left and nothing is affordable.
    expect([
      ...greedyLots({ targets: Float64Array.of(0.5, 0.5), lotCosts: Float64Array.of(60, 70), budget: 100 }),
    ]).toEqual([1, 0]);
  });

  it('allocates long-short portfolios side by side, shorts negative', () => {
    // Weights A .9, B .4, C -.3 (130/30): longs divided by 1.3, the short by .3. shortRatio defaults to .3: the long
    // side gets the budget 1,000 and the short side 300.
    // Long side: targets A .9/1.3 = .69231 (692.31), B .4/1.3 = .30769 (307.69); prices A 100, B 50. Round 1: A 6
    //   (600), B 6 (300); 100 left. Step 1: invested 900; deficits A .69231-.66667 = .0256, B .30769-.33333 = -.0256:
    //   buy A (100 <= 100); nothing left.
    // Short side: C target 300, price 40: round 1 floor(300/40) = 7 (280), 20 left; 40 > 20: stop.
    const r = allocateGreedy({ A: 0.9, B: 0.4, C: -0.3 }, { A: 100, B: 50, C: 40 }, 1000, { allowShorts: true });
    expect(sharesOf(r)).toEqual([
      ['A', 7],
      ['B', 6],
      ['C', -7],
    ]);
    expect(r.sides.map((s) => [s.side, s.budget, s.invested, s.leftover])).toEqual([
      ['long', 1000, 1000, 0],
      ['short', 300, 280, 20],
    ]);
    expect(r.leftover).toBe(20);
    expect(r.positions.map((p) => p.value)).toEqual([700, 300, -280]);
    expect(r.positions.map((p) => p.weight)).toEqual([0.7, 0.3, -0.28]);
    // Effective targets (fractions of the budget): .9/1.3, .4/1.3 and -.3.
    const targets = r.positions.map((p) => p.targetWeight);
    expect(targets[0]).toBeCloseTo(0.9 / 1.3, 15);
    expect(targets[1]).toBeCloseTo(0.4 / 1.3, 15);
    expect(targets[2]).toBeCloseTo(-0.3, 15);

    // Reinvesting the proceeds with shortRatio .5: long side 1,500, short side 500.
    const re = allocateGreedy({ A: 0.9, B: 0.4, C: -0.3 }, { A: 100, B: 50, C: 40 }, 1000, {
      allowShorts: true,
      shortRatio: 0.5,
      reinvest: true,
    });
    expect(re.sides.map((s) => [s.side, s.budget])).toEqual([
      ['long', 1500],
      ['short', 500],
    ]);
    expect(re.positions[2]?.targetWeight).toBeCloseTo(-0.5, 15);
    expect(re.positions[0]?.targetWeight).toBeCloseTo((0.9 / 1.3) * 1.5, 15);
    // C: floor(500/40) = 12 shares short (480).
    expect(re.positions[2]?.shares).toBe(-12);
  });
});

describe('allocateGreedy: the short side', () => {
  it('processes shorts by descending magnitude, which decides deficit ties', () => {
    // Long L 1.5 (price 10); shorts S1 -.3125, S2 -.125, S3 -.0625 (sum .5, exact in binary): shortRatio .5 and a
    // budget of 120 give the long side 120 (12 shares of L) and the short side 60, with side targets S1 .625, S2 .25,
    // S3 .125 and prices 20, 20, 10.
    // Round 1: S1 floor(37.5/20) = 1 (20), S2 floor(15/20) = 0, S3 floor(7.5/10) = 0; 40 left.
    // Step 1: invested 20; deficits S1 -.375, S2 .25, S3 .125: short one S2 (20); 20 left.
    // Step 2: invested 40; deficits S1 .625 - .5 = .125, S2 -.25, S3 .125 - 0 = .125: S1 and S3 tie exactly and S1
    //   comes first (larger magnitude; in signed order S3 would): short one S1; nothing left.
    const r = allocateGreedy({ L: 1.5, S1: -0.3125, S2: -0.125, S3: -0.0625 }, { L: 10, S1: 20, S2: 20, S3: 10 }, 120, {
      allowShorts: true,
    });
    expect(sharesOf(r)).toEqual([
      ['L', 12],
      ['S3', 0],
      ['S2', -1],
      ['S1', -2],
    ]);
    expect(r.shares).toEqual({ L: 12, S2: -1, S1: -2 });
    expect(r.leftover).toBe(0);
  });
});

describe('allocateExact: hand-worked examples', () => {
  it('finds the unique optimum that the greedy misses', async () => {
    // Weights A .6, B .4, prices 30 and 45, budget 100: targets 60 and 40; cost 30a + 45b <= 100.
    // objective = |60 - 30a| + |40 - 45b| + (100 - 30a - 45b):
    //   (2,0) 0+40+40 = 80; (0,1) 60+5+55 = 120; (1,1) 30+5+25 = 60; (0,2) 60+50+10 = 120; (3,0) 30+40+10 = 80;
    //   (2,1) costs 105 > 100. Unique optimum (1,1) with 60. The greedy buys A 2 (60), B 0; then B's 45 > 40 left and
    //   A is at target: (2,0) with objective 80.
    const weights = { A: 0.6, B: 0.4 };
    const prices = { A: 30, B: 45 };
    const exact = await allocateExact(weights, prices, 100);
    expect(sharesOf(exact)).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
    expect(exact.objective).toBeCloseTo(60, 9);
    expect(exact.leftover).toBe(25);
    expect(exact).toMatchObject({ method: 'exact', optimal: true, status: 'optimal' });
    expect(exact.bound).toBeCloseTo(60, 6);
    // objective = budget * absoluteError + leftover for a long-only allocation.
    expect(exact.objective).toBeCloseTo(100 * exact.absoluteError + exact.leftover, 9);
    const greedy = allocateGreedy(weights, prices, 100);
    expect(sharesOf(greedy)).toEqual([
      ['A', 2],
      ['B', 0],
    ]);
    expect(greedy.objective).toBeCloseTo(80, 9);
  });

  it('returns one of several optima', async () => {
    // A .5, B .5 at 30 each, budget 100: (2,1) and (1,2) both give 10 + 20 + 10 = 40; (1,1) gives 80.
    const r = await allocateExact({ A: 0.5, B: 0.5 }, { A: 30, B: 30 }, 100);
    expect(r.objective).toBeCloseTo(40, 9);
    expect([
      [2, 1],
      [1, 2],
    ]).toContainEqual(r.positions.map((p) => p.shares));
  });

  it('does not spend spare cash on over-weight or zero-weight assets', async () => {
    // A .5 at 12 in lots of 100 (1,200 a lot), B .5 at 5, Z 0 at 1; budget 3,000, targets 1,500 each.
    // With one lot of A (the best: 0 lots cost 3,000 and 2 lots 1,800 at best), the objective is
    // 300 + |1500 - 5b| + 1800 - 5b = 3600 - 10b for b <= 300 and 600 for every b in [300, 360]: the program's optimum
    // is 600 and is not unique. pfopt's bounds keep b <= floor(1500/5) + 1 = 301 and Z at 0 (each share of Z would
    // cost nothing in the objective either).
    const r = await allocateExact({ A: 0.5, B: 0.5, Z: 0 }, { A: 12, B: 5, Z: 1 }, 3000, { lotSizes: { A: 100 } });
    expect(r.objective).toBeCloseTo(600, 9);
    const [a, b, z] = r.positions;
    expect(a?.shares).toBe(100);
    expect([300, 301]).toContain(b?.shares);
    expect(z?.shares).toBe(0);
  });

  it('solves each side of a long-short portfolio', async () => {
    // Long side (budget 1,000): A target 692.31 at 100, B 307.69 at 50: (7,6) costs 1,000 with objective
    // 7.69 + 7.69 + 0 = 15.38; no other vector does better. Short side (budget 300): C at 40, 7 shares (280) give
    // 20 + 20 = 40, 8 shares cost 320 > 300.
    const r = await allocateExact({ A: 0.9, B: 0.4, C: -0.3 }, { A: 100, B: 50, C: 40 }, 1000, {
      allowShorts: true,
    });
    expect(sharesOf(r)).toEqual([
      ['A', 7],
      ['B', 6],
      ['C', -7],
    ]);
    expect(r.sides.map((s) => [s.side, s.leftover])).toEqual([
      ['long', 0],
      ['short', 20],
    ]);
    expect(r.objective).toBeCloseTo((2 * 100) / 13 + 40, 9);
  });
});

describe('solveLotMilp: the program given to HiGHS', () => {
  it('has integer lots bounded by floor(t B / c) + 1, |error| rows, the budget row, and no column for zero targets', async () => {
    const highs = await loadHighs();
    const models: ModelData[] = [];
    // Same runtime, with createModel recording its input.
    const createModel = (data: ModelData) => {
      models.push(data);
      return highs.createModel(data);
    };
    const spy = Object.create(highs, { createModel: { value: createModel } }) as Highs;
    // Targets .5, 0, .3, .2 of 1,000 with lot costs 30, 5, 45, 70 (the zero target gets no column).
    const problem = {
      targets: Float64Array.of(0.5, 0, 0.3, 0.2),
      lotCosts: Float64Array.of(30, 5, 45, 70),
      budget: 1000,
    };
    const solution = solveLotMilp(spy, problem, { timeLimit: Infinity, relativeGap: 0, absoluteGap: 1e-6 });
    const model = models[0] as ModelData;
    expect(models).toHaveLength(1);
    // Columns x_A, x_C, x_D, u_A, u_C, u_D, r.
    expect(model.numCols).toBe(7);
    expect([...model.colCost]).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect([...model.colLower]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // floor(500/30) + 1 = 17, floor(300/45) + 1 = 7, floor(200/70) + 1 = 3.
    expect([...model.colUpper]).toEqual([17, 7, 3, highs.infinity, highs.infinity, highs.infinity, highs.infinity]);
    expect([...(model.integrality ?? [])]).toEqual([1, 1, 1, 0, 0, 0, 0]);
    // Rows: u_i + c_i x_i >= t_i B, u_i - c_i x_i >= -t_i B, then sum c_i x_i + r = B.
    expect([...model.rowLower]).toEqual([500, -500, 300, -300, 200, -200, 1000]);
    expect([...model.rowUpper]).toEqual([...Array(6).fill(highs.infinity), 1000]);
    expect(model.matrix.format).toBe('csr');
    expect([...model.matrix.starts]).toEqual([0, 2, 4, 6, 8, 10, 12, 16]);
    expect([...model.matrix.indices]).toEqual([0, 3, 0, 3, 1, 4, 1, 4, 2, 5, 2, 5, 0, 1, 2, 6]);
    expect([...model.matrix.values]).toEqual([30, 1, -30, 1, 45, 1, -45, 1, 70, 1, -70, 1, 30, 45, 70, 1]);
    // The first greedy example above without the zero target: (17, 6, 3) costs 990 with objective
    // |500-510| + |300-270| + |200-210| + 10 = 60, the unique optimum by enumeration (the greedy's 16, 6, 3 gives
    // 100). A sits on its bound 17: the bound has to be floor + 1, not the floor.
    expect([...solution.lots]).toEqual([17, 0, 6, 3]);
    expect(solution.optimal).toBe(true);
    expect(solution.bound).toBeCloseTo(60, 6);
    expect(solution.status).toBe('optimal');
  });
});

describe('discrete allocation: budgets, weights and warnings', () => {
  it('reports a budget too small for any lot as a result with a warning', async () => {
    for (const r of [
      allocateGreedy({ A: 0.5, B: 0.5 }, { A: 30, B: 45 }, 25),
      await allocateExact({ A: 0.5, B: 0.5 }, { A: 30, B: 45 }, 25),
    ]) {
      expect(r.shares).toEqual({});
      expect(r.positions.map((p) => p.shares)).toEqual([0, 0]);
      expect(r.leftover).toBe(25);
      expect(r.objective).toBe(50);
      expect(r.warnings).toEqual([
        'the budget of 25 cannot buy one lot of any asset with a target weight (the cheapest, "A", costs 30 a lot): ' +
          'nothing is bought and all of it is left over',
      ]);
    }
  });

  it('normalises weights that do not sum to 1, with a warning only beyond 1e-6', () => {
    const prices = { A: 30, B: 45, C: 70 };
    const half = allocateGreedy({ A: 0.25, B: 0.15, C: 0.1 }, prices, 1000);
    const full = allocateGreedy({ A: 0.5, B: 0.3, C: 0.2 }, prices, 1000);
    expect(half.warnings).toEqual(['the weights sum to 0.5, not 1: each was divided by the sum']);
    expect(sharesOf(half)).toEqual(sharesOf(full));
    expect(half.positions.map((p) => p.targetWeight)).toEqual([0.5, 0.3, 0.2]);
    const close = allocateGreedy({ A: 0.5000005, B: 0.3, C: 0.2 }, prices, 1000);
    expect(close.warnings).toEqual([]);
    expect(close.positions[0]?.targetWeight).toBeCloseTo(0.5000005 / 1.0000005, 15);
    const off = allocateGreedy({ A: 0.500002, B: 0.3, C: 0.2 }, prices, 1000);
    expect(off.warnings).toHaveLength(1);
  });

  it('keeps zero-weight tickers in the positions and never buys them', () => {
    const r = allocateGreedy({ A: 0.5, B: 0.5, Z: 0 }, { A: 30, B: 30, Z: 1 }, 100);
    expect(sharesOf(r)).toEqual([
      ['A', 1],
      ['B', 1],
      ['Z', 0],
    ]);
    expect(r.shares).toEqual({ A: 1, B: 1 });
    // Errors average over all three tickers: deviations .2, .2, 0.
    expect(r.rmse).toBeCloseTo(Math.sqrt((0.2 ** 2 + 0.2 ** 2) / 3), 15);
  });

  it('ignores prices and lot sizes of tickers without a weight', () => {
    const r = allocateGreedy({ A: 1 }, { A: 10, OTHER: 5 }, 100, { lotSizes: { OTHER: 10 } });
    expect(r.positions.map((p) => p.ticker)).toEqual(['A']);
    expect(r.shares).toEqual({ A: 10 });
  });
});

describe('discrete allocation: validation', () => {
  const prices = { A: 10, B: 20 };
  const cases: [string, TickerValues, TickerValues, number, object, RegExp][] = [
    ['NaN weight', { A: Number.NaN, B: 1 }, prices, 100, {}, /weight of "A" is NaN: every weight must be a finite/],
    ['infinite weight', { A: 1, B: Infinity }, prices, 100, {}, /weight of "B" is Infinity/],
    ['non-number weight', { A: '0.5' as unknown as number }, prices, 100, {}, /weight of "A" is "0.5"/],
    ['negative weight, long-only', { A: 1.2, B: -0.2 }, prices, 100, {}, /weight of "B" is -0.2: .*allowShorts/],
    ['weights summing to zero', { A: 0, B: 0 }, prices, 100, {}, /the weights sum to 0/],
    ['no weights', {}, prices, 100, {}, /no weights were given/],
    ['missing price', { A: 0.5, C: 0.5 }, prices, 100, {}, /no price for "C"/],
    ['inherited property is no price', { toString: 1 }, {}, 100, {}, /no price for "toString"/],
    ['zero price', { A: 1 }, { A: 0 }, 100, {}, /price of "A" is 0: prices must be finite and positive/],
    ['negative price', { A: 1 }, { A: -3 }, 100, {}, /price of "A" is -3/],
    ['NaN price', { A: 1 }, { A: Number.NaN }, 100, {}, /price of "A" is NaN/],
    ['zero budget', { A: 1 }, prices, 0, {}, /budget is 0: it must be a finite positive amount/],
    ['negative budget', { A: 1 }, prices, -5, {}, /budget is -5/],
    ['NaN budget', { A: 1 }, prices, Number.NaN, {}, /budget is NaN/],
    ['fractional lot', { A: 1 }, prices, 100, { lotSizes: { A: 2.5 } }, /lot size of "A" is 2.5: lot sizes must/],
    ['zero lot', { A: 1 }, prices, 100, { lotSizes: { A: 0 } }, /lot size of "A" is 0/],
    ['negative lot', { A: 1 }, prices, 100, { lotSizes: new Map([['B', -100]]) }, /lot size of "B" is -100/],
    ['shortRatio without shorts', { A: 1 }, prices, 100, { shortRatio: 0.3 }, /pass allowShorts: true/],
    ['reinvest without shorts', { A: 1 }, prices, 100, { reinvest: true }, /pass allowShorts: true/],
    [
      'negative shortRatio',
      { A: 1, B: -0.2 },
      prices,
      100,
      { allowShorts: true, shortRatio: -1 },
      /shortRatio is -1: it must be a finite fraction >= 0/,
    ],
    ['shorts only', { A: -1 }, prices, 100, { allowShorts: true }, /needs at least one positive weight/],
  ];
  it.each(cases)('rejects %s with a ValidationError naming it', async (_, weights, p, budget, options, message) => {
    expect(() => allocateGreedy(weights, p, budget, options)).toThrow(ValidationError);
    expect(() => allocateGreedy(weights, p, budget, options)).toThrow(message);
    await expect(allocateExact(weights, p, budget, options)).rejects.toThrow(message);
  });

  it.each([
    [{ timeLimit: 0 }, /timeLimit is 0: it must be a positive number of seconds/],
    [{ timeLimit: Number.NaN }, /timeLimit is NaN/],
    [{ relativeGap: -0.1 }, /relativeGap is -0.1: it must be a fraction between 0 and 1/],
    [{ relativeGap: 2 }, /relativeGap is 2/],
    [{ absoluteGap: -1 }, /absoluteGap is -1: it must be a finite amount >= 0/],
  ])('allocateExact rejects the solver option %o', async (options, message) => {
    await expect(allocateExact({ A: 1 }, prices, 100, options)).rejects.toThrow(ValidationError);
    await expect(allocateExact({ A: 1 }, prices, 100, options)).rejects.toThrow(message);
  });
});
