import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { normalZigguratTables, Random } from '../../src/core/random.js';

/**
 * Values written by reference/random/xoshiro256starstar.py, an independent Python implementation (plain integer
 * arithmetic, no 32-bit halves) that first reproduces the published SplitMix64 and xoshiro256** test vectors.
 */
interface Reference {
  splitmix64_seed0: string[];
  xoshiro_state_1234: string[];
  seeded: { seed: string; state: string[]; uint64: string[]; double: string[]; uint32: number[] }[];
  forks: { seed: string; path: string[]; key: string; uint64: string[] }[];
  variates: Record<string, (string | number)[]>;
}
const REF = JSON.parse(
  readFileSync(new URL('../../reference/random/xoshiro256starstar.json', import.meta.url), 'utf8'),
) as Reference;

const hex64 = (x: bigint): string => `0x${x.toString(16).padStart(16, '0')}`;
const draw = <T>(count: number, f: () => T): T[] => Array.from({ length: count }, f);

/** Values of the same algorithm computed with Python's libm rather than V8's fdlibm ports: equal to a few ulps. */
function expectClose(actual: number[], expected: (string | number)[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = Number(expected[i]);
    expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(e)));
  });
}

describe('Random: agreement with the reference implementation', () => {
  it('reproduces the published xoshiro256** vector from the state {1, 2, 3, 4}', () => {
    const r = Random.fromState([1n, 2n, 3n, 4n]);
    expect(draw(10, () => hex64(r.nextBigUint64()))).toEqual(REF.xoshiro_state_1234);
    // The first two published outputs, by hand: rotl(2 * 5, 7) * 9 = 11520, then s1 becomes 0.
    expect(REF.xoshiro_state_1234.slice(0, 2)).toEqual(['0x0000000000002d00', '0x0000000000000000']);
  });

  it('seeds through SplitMix64: seed 0 gives the published SplitMix64 outputs as the state', () => {
    expect(REF.seeded[0]?.state).toEqual(REF.splitmix64_seed0);
    // Stepping a generator built from that state must equal stepping `new Random(0)`.
    const a = Random.fromState(REF.splitmix64_seed0.map((h) => BigInt(h)));
    const b = new Random(0);
    expect(draw(16, () => a.nextBigUint64())).toEqual(draw(16, () => b.nextBigUint64()));
  });

  it.each(REF.seeded.map((s) => [s.seed, s] as const))('matches the reference outputs for seed %s', (seed, s) => {
    const big = BigInt(seed);
    const fromNumber = big <= BigInt(Number.MAX_SAFE_INTEGER);
    const make = () => (fromNumber ? new Random(Number(big)) : new Random(big));
    expect(make().key).toBe(big);
    let r = make();
    expect(draw(8, () => hex64(r.nextBigUint64()))).toEqual(s.uint64);
    r = make();
    // Doubles are exact: (x >>> 11) * 2^-53 involves no rounding, and both sides print the shortest round-trip text.
    expect(draw(8, () => r.nextDouble())).toEqual(s.double.map(Number));
    r = make();
    expect(draw(4, () => r.nextUint32())).toEqual(s.uint32);
  });

  it.each(REF.forks.map((f) => [JSON.stringify(f.path), f] as const))('derives fork %s as the reference', (_, f) => {
    let r = new Random(Number(f.seed));
    for (const label of f.path) r = r.fork(label);
    expect(hex64(r.key)).toBe(f.key);
    expect(draw(3, () => hex64(r.nextBigUint64()))).toEqual(f.uint64);
  });

  it('matches the reference variates of every sampler', () => {
    const v = REF.variates;
    let r = new Random(7);
    expectClose(
      draw(9, () => r.normal()),
      v.normal_seed7 ?? [],
    );
    r = new Random(7);
    expectClose(
      draw(8, () => r.studentT(5)),
      v.student_t5_seed7 ?? [],
    );
    r = new Random(7);
    expectClose(
      draw(8, () => r.studentT(2.5)),
      v['student_t2.5_seed7'] ?? [],
    );
    r = new Random(7);
    expectClose(
      draw(8, () => r.gamma(2.5)),
      v['gamma2.5_seed7'] ?? [],
    );
    r = new Random(7);
    expectClose(
      draw(8, () => r.gamma(0.5)),
      v['gamma0.5_seed7'] ?? [],
    );
    r = new Random(7);
    expectClose(
      draw(8, () => r.exponential()),
      v.exponential_seed7 ?? [],
    );
    r = new Random(7);
    expect(draw(16, () => r.int(10))).toEqual(v.int10_seed7);
    r = new Random(7);
    expect(draw(8, () => r.int(3e15))).toEqual(v.int3e15_seed7);
    r = new Random(9);
    const mixed: number[] = [];
    for (let i = 0; i < 4; i++) mixed.push(r.normal(), r.nextDouble(), r.gamma(3), r.studentT(4));
    expectClose(mixed, v.mixed_seed9 ?? []);
  });
});

describe('Random: determinism, streams and validation', () => {
  it('repeats itself for a seed and differs across seeds', () => {
    const a = new Random(123);
    const b = new Random(123);
    const c = new Random(124);
    const xa = draw(1000, () => a.normal());
    expect(draw(1000, () => b.normal())).toEqual(xa);
    expect(draw(1000, () => c.normal()).filter((x, i) => x === xa[i])).toHaveLength(0);
  });

  it('forks streams that depend on the key and label only, not on the parent position', () => {
    const parent = new Random(5);
    const before = draw(5, () => parent.fork('x').nextDouble());
    draw(1000, () => parent.nextDouble());
    expect(draw(5, () => parent.fork('x').nextDouble())).toEqual(before);
    // Drawing from a child does not move the parent.
    const p1 = new Random(5);
    const p2 = new Random(5);
    const child = p1.fork('y');
    draw(100, () => child.nextDouble());
    expect(draw(10, () => p1.nextDouble())).toEqual(draw(10, () => p2.nextDouble()));
    // Numbers and strings name the same label; distinct labels and orders give distinct keys.
    expect(parent.fork(3).key).toBe(parent.fork('3').key);
    const keys = new Set([parent.fork('a').key, parent.fork('b').key, parent.fork('a').fork('b').key, parent.key]);
    keys.add(parent.fork('b').fork('a').key);
    expect(keys.size).toBe(5);
  });

  it('gives uncorrelated sibling streams', () => {
    // Sample correlation of n independent pairs has standard error 1/sqrt(n) = 0.002; 6 standard errors allowed.
    const n = 250_000;
    const a = new Random(11).fork('asset:1');
    const b = new Random(11).fork('asset:2');
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < n; i++) {
      const x = a.normal();
      const y = b.normal();
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    expect(Math.abs(sab / Math.sqrt(saa * sbb))).toBeLessThan(6 / Math.sqrt(n));
  });

  it('rejects bad seeds, states and parameters with ValidationError', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY]) {
      expect(() => new Random(bad)).toThrow(ValidationError);
    }
    expect(() => new Random(-1n)).toThrow(/0 to 2\^64 - 1/);
    expect(() => new Random(1n << 64n)).toThrow(ValidationError);
    expect(new Random((1n << 64n) - 1n).key).toBe((1n << 64n) - 1n);
    expect(() => Random.fromState([0n, 0n, 0n, 0n])).toThrow(/not all zero/);
    expect(() => Random.fromState([1n, 2n, 3n])).toThrow(ValidationError);
    const r = new Random(1);
    for (const n of [0, -3, 2.5, 2 ** 53 + 2, Number.NaN])
      expect(() => r.int(n)).toThrow(/whole number from 1 to 2\^53/);
    expect(() => r.studentT(0)).toThrow(/greater than 0/);
    expect(() => r.studentT(Number.NaN)).toThrow(ValidationError);
    expect(() => r.gamma(0)).toThrow(/gamma shape/);
    expect(() => r.gamma(Number.POSITIVE_INFINITY)).toThrow(ValidationError);
  });

  it('handles the extreme integer ranges', () => {
    const r = new Random(3);
    expect(draw(100, () => r.int(1)).every((x) => x === 0)).toBe(true);
    const big = draw(100, () => r.int(2 ** 53));
    expect(big.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 53)).toBe(true);
    expect(new Set(big).size).toBe(100);
  });
});

// Statistical checks. Each bound is 6 standard errors of the statistic for the sample size used, so a correct
// sampler fails for fewer than one seed in 10^8; the seeds are fixed, so the tests are deterministic. An error in a
// formula (a wrong scale, a dropped factor, a biased rejection step) moves these statistics by far more.
const N = 1_000_000;

function moments(xs: Float64Array): { mean: number; variance: number; skew: number; exkurt: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= xs.length;
  m3 /= xs.length;
  m4 /= xs.length;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, exkurt: m4 / (m2 * m2) - 3 };
}

const sample = (n: number, f: () => number): Float64Array => Float64Array.from({ length: n }, f);

/** Kolmogorov-Smirnov distance between the sample and a continuous CDF. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i] as number);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
/** P(D_n > c / sqrt(n)) ~ 2 exp(-2 c^2); c = 2.9 gives 1e-7. */
const ksBound = (n: number): number => 2.9 / Math.sqrt(n);

/** erfc with fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit), ample for KS at n = 2e5. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}
const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/**
 * Exact Student-t CDF for odd nu: with theta = atan(x / sqrt(nu)),
 * F = 1/2 + (theta + sin(theta) (cos + (2/3) cos^3 + (2*4)/(3*5) cos^5 + ... up to cos^(nu-2))) / pi.
 */
function studentCdfOdd(nu: number): (x: number) => number {
  return (x) => {
    const th = Math.atan(x / Math.sqrt(nu));
    const c = Math.cos(th);
    let term = c;
    let sum = nu > 1 ? c : 0;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= ((k - 1) / k) * c * c;
      sum += term;
    }
    return 0.5 + (th + Math.sin(th) * sum) / Math.PI;
  };
}

/** Gamma(shape, 1) CDF for integer shape: 1 - e^-x sum_{k < shape} x^k / k!. */
function gammaCdfInteger(shape: number): (x: number) => number {
  return (x) => {
    if (x <= 0) return 0;
    let term = 1;
    let sum = 1;
    for (let k = 1; k < shape; k++) {
      term *= x / k;
      sum += term;
    }
    return 1 - Math.exp(-x) * sum;
  };
}

describe('Random: distributions', () => {
  it('draws uniform doubles on [0, 1) with 53 random bits', () => {
    const r = new Random(2024);
    const xs = sample(N, () => r.nextDouble());
    const m = moments(xs);
    // Mean 1/2, standard error sqrt(1/12 / n) = 2.9e-4. Variance 1/12, standard error sqrt((1/80 - 1/144) / n) = 7.5e-5.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(6 * 2.9e-4);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(6 * 7.5e-5);
    let odd = 0;
    let fractional = 0;
    let min = 1;
    let max = 0;
    for (const x of xs) {
      const k = x * 2 ** 53;
      if (!Number.isInteger(k)) fractional++;
      if (k % 2 === 1) odd++;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    // The lowest of the 53 bits is random too (a 32-bit conversion would leave it 0): share 1/2, error 5e-4.
    expect(fractional).toBe(0);
    expect(Math.abs(odd / N - 0.5)).toBeLessThan(6 * 5e-4);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(ksDistance(xs.subarray(0, 200_000), (x) => x)).toBeLessThan(ksBound(200_000));
  });

  it('draws unbiased integers', () => {
    // Chi-squared with 9 degrees of freedom over 10 cells: P(chi2 > 40) < 1e-5.
    const r = new Random(77);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) {
      const k = r.int(10);
      counts[k] = (counts[k] as number) + 1;
    }
    const chi2 = counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
    expect(chi2).toBeLessThan(40);
    // A range near 2^53 where rejection matters: n = 3 * 2^51 rejects a quarter of the draws; the mean of x / n must
    // be 1/2 (standard error sqrt(1/12 / 2e5) = 6.5e-4) rather than the 0.44 a biased x mod n would give.
    const n = 3 * 2 ** 51;
    let s = 0;
    for (let i = 0; i < 200_000; i++) s += r.int(n) / n;
    expect(Math.abs(s / 200_000 - 0.5)).toBeLessThan(6 * 6.5e-4);
  });

  it('draws standard normals', () => {
    const r = new Random(31);
    const xs = sample(N, () => r.normal());
    const m = moments(xs);
    // Standard errors at n = 1e6: mean 1e-3, variance sqrt(2/n) = 1.4e-3, skewness sqrt(6/n) = 2.4e-3,
    // excess kurtosis sqrt(24/n) = 4.9e-3.
    expect(Math.abs(m.mean)).toBeLessThan(6e-3);
    expect(Math.abs(m.variance - 1)).toBeLessThan(6 * 1.4e-3);
    expect(Math.abs(m.skew)).toBeLessThan(6 * 2.4e-3);
    expect(Math.abs(m.exkurt)).toBeLessThan(6 * 4.9e-3);
    expect(ksDistance(xs.subarray(0, 200_000), normalCdf)).toBeLessThan(ksBound(200_000));
    // Consecutive normals (the two of a polar pair) are independent: lag-1 correlation, standard error 1e-3.
    let s = 0;
    for (let i = 1; i < N; i++) s += (xs[i] as number) * (xs[i - 1] as number);
    expect(Math.abs(s / N)).toBeLessThan(6e-3);
  });

  it('draws Student-t variates with variance nu / (nu - 2) and the exact t distribution', () => {
    // nu = 10: variance 1.25; Var(T^2) = 3 nu^2 / ((nu-2)(nu-4)) - 1.25^2 = 4.6875, standard error 2.2e-3.
    let r = new Random(41);
    const t10 = sample(N, () => r.studentT(10));
    expect(Math.abs(moments(t10).variance - 1.25)).toBeLessThan(6 * 2.2e-3);
    // Excess kurtosis 6 / (nu - 4) = 1 (its estimator converges slowly; the bound is loose on purpose).
    expect(Math.abs(moments(t10).exkurt - 1)).toBeLessThan(0.15);
    // nu = 5: variance 5/3; Var(T^2) = 25 - 25/9 = 22.2, standard error 4.7e-3.
    r = new Random(42);
    const t5 = sample(N, () => r.studentT(5));
    expect(Math.abs(moments(t5).mean)).toBeLessThan(6 * Math.sqrt(5 / 3 / N));
    expect(Math.abs(moments(t5).variance - 5 / 3)).toBeLessThan(6 * 4.7e-3);
    // The whole distribution, against the closed-form CDF, for nu = 5, 3 and 1 (Cauchy).
    expect(ksDistance(t5.subarray(0, 200_000), studentCdfOdd(5))).toBeLessThan(ksBound(200_000));
    for (const nu of [3, 1]) {
      const s = sample(200_000, () => r.studentT(nu));
      expect(ksDistance(s, studentCdfOdd(nu))).toBeLessThan(ksBound(200_000));
    }
    // The KS check can tell nu = 5 from nu = 3: a wrong degrees-of-freedom mapping would not pass.
    expect(ksDistance(t5.subarray(0, 200_000), studentCdfOdd(3))).toBeGreaterThan(ksBound(200_000));
    // nu = Infinity is exactly the normal generator.
    const a = new Random(8);
    const b = new Random(8);
    expect(draw(11, () => a.studentT(Number.POSITIVE_INFINITY))).toEqual(draw(11, () => b.normal()));
    // A large finite nu is accurate (expm1 keeps w^(-2/nu) - 1 precise): variance 1 + 2e-6.
    r = new Random(43);
    expect(Math.abs(moments(sample(N, () => r.studentT(1e6))).variance - 1)).toBeLessThan(6 * 1.4e-3);
  });

  it('draws gamma variates with mean and variance equal to the shape', () => {
    // Standard errors at n = 1e6: mean sqrt(k / n); variance sqrt((2k^2 + 6k) / n) (gamma fourth central moment
    // 3k^2 + 6k).
    for (const [seed, k] of [
      [51, 0.5],
      [52, 1],
      [53, 2.5],
      [54, 9],
    ] as const) {
      const r = new Random(seed);
      const m = moments(sample(N, () => r.gamma(k)));
      expect(Math.abs(m.mean - k)).toBeLessThan(6 * Math.sqrt(k / N));
      expect(Math.abs(m.variance - k)).toBeLessThan(6 * Math.sqrt((2 * k * k + 6 * k) / N));
    }
    const r = new Random(55);
    const n = 200_000;
    // Closed-form CDFs: integer shapes, and shape 1/2 (a chi-squared with 1 degree of freedom over 2):
    // P(G <= x) = P(|Z| <= sqrt(2x)) = 1 - erfc(sqrt(x)).
    expect(
      ksDistance(
        sample(n, () => r.gamma(2)),
        gammaCdfInteger(2),
      ),
    ).toBeLessThan(ksBound(n));
    expect(
      ksDistance(
        sample(n, () => r.gamma(5)),
        gammaCdfInteger(5),
      ),
    ).toBeLessThan(ksBound(n));
    expect(
      ksDistance(
        sample(n, () => r.gamma(0.5)),
        (x) => (x <= 0 ? 0 : 1 - erfc(Math.sqrt(x))),
      ),
    ).toBeLessThan(ksBound(n));
  });

  it('draws exponential variates', () => {
    const r = new Random(61);
    const xs = sample(N, () => r.exponential());
    const m = moments(xs);
    // Mean 1 (standard error 1e-3), variance 1 (fourth central moment 9: standard error sqrt(8/n) = 2.8e-3).
    expect(Math.abs(m.mean - 1)).toBeLessThan(6e-3);
    expect(Math.abs(m.variance - 1)).toBeLessThan(6 * 2.8e-3);
    expect(ksDistance(xs.subarray(0, 200_000), (x) => 1 - Math.exp(-x))).toBeLessThan(ksBound(200_000));
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
  });
});

/**
 * Values written by reference/random/ziggurat.py: the ziggurat tables it derives with 80-digit decimal arithmetic, and
 * draws of its own implementation of the published algorithm on the Python port of the generator.
 */
interface ZigguratReference {
  r: string;
  v: string;
  x: string[];
  f: string[];
  streams: { seed: string; path: string[]; values: string[]; next: string }[];
  long: {
    seed: string;
    count: number;
    slow: [number, string, string][];
    sum: string;
    sumSquares: string;
    next: string;
  };
  tails: { seed: string; draws: [number, string][]; count: number; next: string };
}
const ZIG = JSON.parse(
  readFileSync(new URL('../../reference/random/ziggurat.json', import.meta.url), 'utf8'),
) as ZigguratReference;

/** Whether a reference draw took the tail path, whose value goes through Math.log (V8's fdlibm vs the C library). */
const viaTail = (events: string): boolean => events.split(' ').includes('tail');

describe('Random.fillNormal: agreement with the reference implementation', () => {
  it('uses the tables the reference derives, bit for bit', () => {
    const { x, f } = normalZigguratTables();
    expect(Array.from(x)).toEqual(ZIG.x.map(Number));
    expect(Array.from(f)).toEqual(ZIG.f.map(Number));
  });

  it.each(ZIG.streams.map((s) => [`${s.seed} ${JSON.stringify(s.path)}`, s] as const))(
    'gives the reference draws for seed %s and then the same next output',
    (_, s) => {
      let r = new Random(BigInt(s.seed));
      for (const label of s.path) r = r.fork(label);
      // Exact: every one of these draws is a product u * X[i] or a wedge draw (the same IEEE operations on both sides).
      expect(Array.from(r.fillNormal(new Float64Array(s.values.length)))).toEqual(s.values.map(Number));
      expect(hex64(r.nextBigUint64())).toBe(s.next);
    },
  );

  it('takes the same wedge, rejection and tail paths as the reference over 20,000 draws', () => {
    const r = new Random(BigInt(ZIG.long.seed));
    const xs = r.fillNormal(new Float64Array(ZIG.long.count));
    // The next output pins the number of outputs consumed, hence every wedge test, rejection and tail loop.
    expect(hex64(r.nextBigUint64())).toBe(ZIG.long.next);
    expect(ZIG.long.slow.length).toBeGreaterThan(250);
    for (const [index, value, events] of ZIG.long.slow) {
      if (viaTail(events)) expectClose([xs[index] as number], [value]);
      else expect(xs[index]).toBe(Number(value));
    }
    // Every other draw is a fast-path product: the sums (exact in Python, rounded here) pin them together.
    let sum = 0;
    let squares = 0;
    for (const x of xs) {
      sum += x;
      squares += x * x;
    }
    expect(Math.abs(sum - Number(ZIG.long.sum))).toBeLessThan(1e-10);
    expect(Math.abs(squares - Number(ZIG.long.sumSquares))).toBeLessThan(1e-9);
  });

  it('draws the tail beyond r as the reference does', () => {
    const r = new Random(BigInt(ZIG.tails.seed));
    const xs = r.fillNormal(new Float64Array(ZIG.tails.count));
    expect(hex64(r.nextBigUint64())).toBe(ZIG.tails.next);
    const got = ZIG.tails.draws.map(([index]) => xs[index] as number);
    expectClose(
      got,
      ZIG.tails.draws.map(([, value]) => value),
    );
    expect(got.every((x) => Math.abs(x) > 3.6541528853610088)).toBe(true);
    // No other draw is beyond r: the reference lists every tail draw of the range.
    expect(Array.from(xs).filter((x) => Math.abs(x) > 3.6541528853610088)).toHaveLength(got.length);
  });
});

describe('Random.fillNormal: tables', () => {
  const { x, f } = normalZigguratTables();
  const r = 3.6541528853610088; // Marsaglia & Tsang (2000), 256 layers
  const v = Number(ZIG.v);

  it('has 256 layers from r down to 0 with f = exp(-x^2 / 2)', () => {
    expect(x).toHaveLength(257);
    expect(f).toHaveLength(257);
    expect(x[1]).toBe(r);
    expect(x[256]).toBe(0);
    expect(f[256]).toBe(1);
    for (let i = 0; i < 256; i++) {
      expect(x[i] as number).toBeGreaterThan(x[i + 1] as number);
      expect(f[i] as number).toBeLessThan(f[i + 1] as number);
    }
    // The reference rounds exp(-x^2/2) of each double x correctly. Here the rounding of x^2/2 (relative 2^-52, so
    // x^2/2 * 2^-52 in the exponent) and Math.exp's error (below an ulp) bound the difference.
    for (let i = 0; i < 257; i++) {
      const xi = x[i] as number;
      const bound = (2 + 0.5 * xi * xi) * 2 ** -52 * (f[i] as number);
      expect(Math.abs((f[i] as number) - Math.exp(-0.5 * xi * xi))).toBeLessThanOrEqual(bound);
    }
  });

  it('gives every layer the same area v, and the base layer its tail', () => {
    // Layer i >= 1 is [0, x_i] x [f(x_i), f(x_i+1)]; rounding the table entries and the difference of two f values
    // (the smallest 0.0013) leaves a relative error below 1e-12.
    for (let i = 1; i < 256; i++) {
      const area = (x[i] as number) * ((f[i + 1] as number) - (f[i] as number));
      expect(Math.abs(area / v - 1)).toBeLessThan(1e-12);
    }
    // The base layer: X[0] f(r) = v = r f(r) + integral_r^inf exp(-t^2/2) dt = r f(r) + sqrt(pi/2) erfc(r / sqrt 2).
    expect(Math.abs(((x[0] as number) * (f[1] as number)) / v - 1)).toBeLessThan(1e-15);
    const base = r * (f[1] as number) + Math.sqrt(Math.PI / 2) * erfc(r / Math.SQRT2);
    // erfc's fractional error (1.2e-7) on the tail term, a sixth of v.
    expect(Math.abs(base / v - 1)).toBeLessThan(3e-8);
  });
});

describe('Random.fillNormal: the stream', () => {
  it('fills a range in pieces exactly as in one call, and leaves the rest of the array alone', () => {
    const whole = new Random(17).fillNormal(new Float64Array(5000));
    const r = new Random(17);
    const pieces = new Float64Array(5000);
    let k = 0;
    for (const size of [0, 1, 2, 3, 997, 0, 1500, 2497]) {
      expect(r.fillNormal(pieces, k, k + size)).toBe(pieces);
      k += size;
    }
    expect(k).toBe(5000);
    expect(Array.from(pieces)).toEqual(Array.from(whole));
    const part = new Float64Array(10).fill(7);
    new Random(17).fillNormal(part, 3, 6);
    expect(Array.from(part)).toEqual([7, 7, 7, whole[0], whole[1], whole[2], 7, 7, 7, 7]);
    expect(Array.from(new Random(17).fillNormal(new Float64Array(4), 2))).toEqual([0, 0, whole[0], whole[1]]);
  });

  it('repeats itself for a seed, differs across seeds and never gives 0 or a non-finite number', () => {
    const a = new Random(123).fillNormal(new Float64Array(100_000));
    const b = new Random(123).fillNormal(new Float64Array(100_000));
    const c = new Random(124).fillNormal(new Float64Array(100_000));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c).filter((x, i) => x === a[i])).toHaveLength(0);
    expect(a.every((x) => Number.isFinite(x) && x !== 0)).toBe(true);
  });

  it('shares the generator with the other methods but not the spare normal of normal()', () => {
    // normal() keeps the second normal of its pair (returning it takes no output); a fillNormal in between neither
    // uses nor discards it, and draws from where the pair left the generator.
    const a = new Random(9);
    const b = new Random(9);
    a.normal();
    const filled = Array.from(a.fillNormal(new Float64Array(50)));
    const spare = a.normal();
    b.normal();
    expect(b.normal()).toBe(spare);
    expect(Array.from(b.fillNormal(new Float64Array(50)))).toEqual(filled);
    // Afterwards the outputs continue from where fillNormal stopped.
    expect(a.nextBigUint64()).toBe(b.nextBigUint64());
    expect(filled).not.toContain(spare);
  });

  it('rejects ranges outside the array', () => {
    const r = new Random(1);
    const out = new Float64Array(5);
    for (const [start, end] of [
      [-1, 3],
      [3, 2],
      [0, 6],
      [1.5, 3],
      [0, Number.NaN],
      [Number.POSITIVE_INFINITY, 5],
    ] as const) {
      expect(() => r.fillNormal(out, start, end)).toThrow(ValidationError);
    }
    expect(() => r.fillNormal(out, 0, 6)).toThrow(/0 <= start <= end <= 5/);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0]);
    expect(r.fillNormal(out, 5, 5)).toBe(out);
  });
});

describe('Random.fillNormal: the standard normal distribution', () => {
  it('has the moments of the standard normal and independent consecutive draws (1e6 draws)', () => {
    const xs = new Random(31).fillNormal(new Float64Array(N));
    const m = moments(xs);
    // Standard errors at n = 1e6: mean 1e-3, variance sqrt(2/n) = 1.4e-3, skewness sqrt(6/n) = 2.4e-3,
    // excess kurtosis sqrt(24/n) = 4.9e-3; 6 standard errors allowed.
    expect(Math.abs(m.mean)).toBeLessThan(6e-3);
    expect(Math.abs(m.variance - 1)).toBeLessThan(6 * 1.4e-3);
    expect(Math.abs(m.skew)).toBeLessThan(6 * 2.4e-3);
    expect(Math.abs(m.exkurt)).toBeLessThan(6 * 4.9e-3);
    // Lag-1 correlations of the draws and of their squares (centred, variance 2): standard error 1/sqrt(n) = 1e-3.
    let s = 0;
    let s2 = 0;
    for (let i = 1; i < N; i++) {
      const a = xs[i - 1] as number;
      const b = xs[i] as number;
      s += a * b;
      s2 += (a * a - 1) * (b * b - 1);
    }
    expect(Math.abs(s / N)).toBeLessThan(6e-3);
    expect(Math.abs(s2 / N / 2)).toBeLessThan(6e-3);
  });

  it('passes a Kolmogorov-Smirnov test against the normal CDF on 1e6 draws', () => {
    const xs = new Random(32).fillNormal(new Float64Array(N));
    // sqrt(n) D_n is asymptotically Kolmogorov-distributed: P(sqrt(n) D_n > 2.9) = 2 exp(-2 * 2.9^2) = 1e-7. The CDF's
    // error (below 1.2e-7) is negligible beside the bound, 2.9e-3.
    const d = ksDistance(xs, normalCdf);
    expect(d).toBeLessThan(ksBound(N));
    // The test has power: a sample scaled by 1.01 is rejected.
    expect(
      ksDistance(
        xs.map((x) => 1.01 * x),
        normalCdf,
      ),
    ).toBeGreaterThan(ksBound(N));
  });

  it('puts the right mass in fine bins, in the tails and beyond r (1e7 draws)', () => {
    const n = 10_000_000;
    const chunk = new Float64Array(1_000_000);
    const r = new Random(33);
    // 182 cells: 180 bins of width 0.05 over [-4.5, 4.5] and the two outer ranges. A wrong wedge test misplaces mass
    // within the strips [x_(i+1), x_i] (0.007 to 0.2 wide) in every bin: accepting every wedge candidate gives a
    // chi-squared of about 1,560 here, and the F values of the wrong layer about 450 (a correct sampler: about 181).
    const width = 0.05;
    const bins = 180;
    const counts = new Float64Array(bins + 2);
    let beyond3 = 0;
    let beyond4 = 0;
    let positive = 0;
    let tailCount = 0;
    let tailSum = 0;
    let tailSquares = 0;
    const rr = 3.6541528853610088;
    for (let done = 0; done < n; done += chunk.length) {
      r.fillNormal(chunk);
      for (const x of chunk) {
        const b = Math.floor((x + 4.5) / width);
        const cell = b < 0 ? 0 : b >= bins ? bins + 1 : b + 1;
        counts[cell] = (counts[cell] as number) + 1;
        const a = Math.abs(x);
        if (x > 0) positive++;
        if (a > 3) beyond3++;
        if (a > 4) beyond4++;
        if (a > rr) {
          tailCount++;
          tailSum += a;
          tailSquares += a * a;
        }
      }
    }
    // Pearson's chi-squared with 181 degrees of freedom: scipy.stats.chi2.isf(1e-7, 181) = 297.8.
    let chi2 = 0;
    for (let c = 0; c < bins + 2; c++) {
      const lo = c === 0 ? Number.NEGATIVE_INFINITY : -4.5 + (c - 1) * width;
      const hi = c === bins + 1 ? Number.POSITIVE_INFINITY : -4.5 + c * width;
      const p =
        (hi === Number.POSITIVE_INFINITY ? 1 : normalCdf(hi)) - (lo === Number.NEGATIVE_INFINITY ? 0 : normalCdf(lo));
      chi2 += ((counts[c] as number) - n * p) ** 2 / (n * p);
    }
    expect(chi2).toBeLessThan(297.8);
    // Frequencies against P(|Z| > t) = erfc(t / sqrt 2), within 6 binomial standard errors sqrt(p (1 - p) / n):
    // beyond 3 (p = 2.7e-3, 27,000 draws, relative standard error 0.6%), beyond 4 (p = 6.3e-5, 633 draws, 4.0%) and
    // beyond r, the draws of the tail algorithm (p = 2.6e-4, 2,580 draws, 2.0%); signs: p = 1/2.
    const frequency = (count: number, p: number, what: string) => {
      const se = Math.sqrt((p * (1 - p)) / n);
      if (!(Math.abs(count / n - p) < 6 * se))
        expect.fail(`${what}: ${count / n} vs ${p} (${(count / n - p) / se} SE)`);
    };
    frequency(beyond3, erfc(3 / Math.SQRT2), '|z| > 3');
    frequency(beyond4, erfc(4 / Math.SQRT2), '|z| > 4');
    frequency(tailCount, erfc(rr / Math.SQRT2), '|z| > r');
    frequency(positive, 0.5, 'z > 0');
    // The shape of the tail beyond r: E[|Z| | |Z| > r] = phi(r) / P(Z > r) = 3.897 (the inverse Mills ratio), with
    // Var = 1 + r m - m^2 = 0.0535; 6 standard errors of the conditional mean of about 2,580 draws.
    const mills = Math.exp(-0.5 * rr * rr) / Math.sqrt(2 * Math.PI) / (0.5 * erfc(rr / Math.SQRT2));
    const tailVar = 1 + rr * mills - mills * mills;
    const tailMean = tailSum / tailCount;
    expect(Math.abs(tailMean - mills)).toBeLessThan(6 * Math.sqrt(tailVar / tailCount));
    // Its sample variance: this tail has excess kurtosis 4.19 (scipy.stats.truncnorm(r, inf)), so the relative standard
    // error is sqrt((4.19 + 2) / 2580) = 4.9%; 6 of them allowed. (Dropping the tail's rejection step inflates it 43%.)
    expect(Math.abs(tailSquares / tailCount - tailMean * tailMean - tailVar)).toBeLessThan(6 * 0.049 * tailVar);
  });
});
