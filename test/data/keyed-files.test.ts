import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { readSectorBounds, readSectorMap, readWeights } from '../../src/data/keyed-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-keyed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readWeights', () => {
  it('reads CSV with the columns in any order and case', () => {
    expect(readWeights(file('w.csv', 'Weight,Ticker\n0.25,BRK/B\n0.75,BF.B\n'))).toEqual({
      'BRK/B': 0.25,
      'BF.B': 0.75,
    });
  });

  it('reads JSON as a plain map or as the output of pfopt optimize --json', () => {
    expect(readWeights(file('w1.json', '{"A": 0.4, "B": 0.6}'))).toEqual({ A: 0.4, B: 0.6 });
    const optimized = {
      weights: { A: 0.1, B: 0.9 },
      performance: { expectedReturn: 0.1, volatility: 0.2, sharpe: 0.5 },
    };
    expect(readWeights(file('w2.json', JSON.stringify(optimized)))).toEqual({ A: 0.1, B: 0.9 });
  });

  it('names the file, line and column of a bad weight, a repeated ticker, a missing column', () => {
    expect(() => readWeights(file('b1.csv', 'ticker,weight\nA,0.5\nB,half\n'))).toThrow(
      /b1\.csv, line 3, column "weight": expected a number, found "half"/,
    );
    expect(() => readWeights(file('b2.csv', 'ticker,weight\nA,0.5\nA,0.5\n'))).toThrow(
      /b2\.csv, line 3: "A" appears twice/,
    );
    expect(() => readWeights(file('b3.csv', 'name,w\nA,1\n'))).toThrow(
      /no ticker column; name one of ticker, symbol, asset/,
    );
    expect(() => readWeights(file('b4.csv', 'ticker,weight\nA,0.5,1\n'))).toThrow(
      /line 2: expected 2 fields as in the header, found 3/,
    );
    expect(() => readWeights(file('b5.json', '{"A": "x"}'))).toThrow(DataError);
    expect(() => readWeights(file('b6.json', '{oops'))).toThrow(/not valid JSON/);
    expect(() => readWeights(join(dir, 'none.csv'))).toThrow(
      /cannot read the weights file .*none\.csv: there is no such file/,
    );
  });
});

describe('readSectorMap', () => {
  it('reads the CSV that pfopt data synth writes, and JSON', () => {
    expect(readSectorMap(file('s.csv', 'ticker,sector\nA0001,Energy\nA0002,"Consumer, Staples"\n'))).toEqual({
      A0001: 'Energy',
      A0002: 'Consumer, Staples',
    });
    expect(readSectorMap(file('s.json', '{"A": "Tech"}'))).toEqual({ A: 'Tech' });
  });

  it('rejects an empty sector with its line', () => {
    expect(() => readSectorMap(file('s2.csv', 'ticker,sector\nA,Tech\nB,\n'))).toThrow(
      /line 3: the sector of "B" is empty/,
    );
  });
});

describe('readSectorBounds', () => {
  it('reads CSV with optional sides and both JSON forms', () => {
    expect(readSectorBounds(file('b.csv', 'sector,min,max\nTech,0.1,0.3\nEnergy,,0.2\n'))).toEqual({
      Tech: { min: 0.1, max: 0.3 },
      Energy: { max: 0.2 },
    });
    expect(readSectorBounds(file('b1.json', '{"Tech": {"min": 0.1}, "Energy": [null, 0.2]}'))).toEqual({
      Tech: { min: 0.1 },
      Energy: { max: 0.2 },
    });
  });

  it('rejects min above max and unknown keys', () => {
    expect(() => readSectorBounds(file('b2.csv', 'sector,min,max\nTech,0.5,0.3\n'))).toThrow(
      /line 2: sector "Tech" has min 0.5 above max 0.3/,
    );
    expect(() => readSectorBounds(file('b3.json', '{"Tech": {"minimum": 0.1}}'))).toThrow(DataError);
  });
});
