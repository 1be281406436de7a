/**
 * Seeded pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018, https://prng.di.unimi.it/) seeded through
 * SplitMix64, with uniform doubles of 53 random bits, unbiased integers, and exact samplers for the normal, Student-t,
 * gamma and exponential distributions.
 *
 * Reproducibility: the same seed gives the same numbers, bit for bit, on every platform and Node version. The 64-bit
 * generator runs on 32-bit integer halves (`|`, `^`, `<<`, `>>>`, `Math.imul`, and additions whose exact results stay
 * below 2^53), and the samplers use only `+ - * /`, `Math.sqrt` (correctly rounded by IEEE 754) and `Math.log`,
 * `Math.exp`, `Math.expm1`, which V8 computes with its own ports of fdlibm rather than the platform's C library.
 * BigInt appears only when a generator is created or forked, never per number.
 *
 * reference/random/xoshiro256starstar.py re-implements all of this with Python integers, checks itself against the
 * published vectors of SplitMix64 and xoshiro256**, and writes the values test/core/random.test.ts compares with.
 */

import { ValidationError } from './errors.js';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** 2^-53: a 53-bit integer times this is a double in [0, 1) with every bit random. */
const INV_TWO_POW_53 = 1 / TWO_POW_53;
/** 2^-32. */
const INV_TWO_POW_32 = 1 / TWO_POW_32;

/**
 * SplitMix64's output function (Steele, Lea & Flood 2014, constants of Stafford's "Mix13"): a bijection of 64-bit
 * integers that turns nearby inputs into unrelated outputs.
 */
function mix64(z: bigint): bigint {
  let x = z & MASK64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return x ^ (x >> 31n);
}

/** FNV-1a 64-bit hash of the UTF-8 bytes of `text`. */
function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  return h;
}

/**
 * A seeded xoshiro256** generator with samplers for common distributions. Not cryptographically secure.
 *
 * The 256-bit state lives in an Int32Array as eight 32-bit words: for 64-bit word k, `state[2k]` holds the high and
 * `state[2k + 1]` the low 32 bits. Period 2^256 - 1; its authors report that it passes BigCrush and PractRand.
 */
export class Random {
  /**
   * The 64-bit key this generator's state was derived from: the seed itself for `new Random(seed)`, the derived key
   * for `fork`, and a hash of the state for `fromState`. `fork` derives child keys from it.
   */
  readonly key: bigint;
  readonly #s = new Int32Array(8);
  /** High and low 32 bits (signed) of the latest 64-bit output. */
  #hi = 0;
  #lo = 0;
  /** The second normal of the latest polar pair, returned by the next `normal()` call when `#hasSpare`. */
  #spare = 0;
  #hasSpare = false;

  /**
   * A generator seeded with `seed`, a whole number from 0 to 2^64 - 1 (a number up to 2^53 - 1, or a bigint).
   * The state is the first four SplitMix64 outputs from the seed, as the xoshiro authors recommend.
   * Throws ValidationError for any other seed.
   */
  constructor(seed: number | bigint = 0) {
    let key: bigint;
    if (typeof seed === 'bigint') {
      if (seed < 0n || seed > MASK64)
        throw new ValidationError(`a random seed must be from 0 to 2^64 - 1, got ${seed}`);
      key = seed;
    } else {
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new ValidationError(`a random seed must be a whole number from 0 to 2^53 - 1, got ${seed}`);
      }
      key = BigInt(seed);
    }
    this.key = key;
    let x = key;
    for (let k = 0; k < 4; k++) {
      x = (x + GOLDEN_GAMMA) & MASK64;
      this.#setWord(k, mix64(x));
    }
  }

  /**
   * A generator with the given raw xoshiro256** state: four 64-bit words (bigints from 0 to 2^64 - 1, not all 0),
   * s[0] first, exactly as in the reference C code. For reproducing published test vectors; use `new Random(seed)`
   * otherwise. Its `key` is a SplitMix64 hash of the four words.
   */
  static fromState(state: readonly bigint[]): Random {
    if (state.length !== 4 || state.some((w) => w < 0n || w > MASK64) || state.every((w) => w === 0n)) {
      throw new ValidationError('a xoshiro256** state is four 64-bit words from 0 to 2^64 - 1, not all zero');
    }
    let key = 0n;
    for (let k = 3; k >= 0; k--) key = mix64(key ^ (state[k] as bigint));
    const r = new Random(key);
    for (let k = 0; k < 4; k++) r.#setWord(k, state[k] as bigint);
    return r;
  }

  /**
   * An independent generator for the sub-stream named `label`, seeded with the key
   * `mix64(key XOR mix64(FNV-1a-64(UTF-8 label)))`. The child depends only on this generator's key and the label,
   * not on how many numbers this generator has produced, and producing numbers from either never affects the other,
   * so a program can give each part of a computation its own stream (`rng.fork('market')`, `rng.fork('asset:7')`)
   * and change one part without changing the numbers the others see. The same label gives the same stream.
   */
  fork(label: string | number): Random {
    return new Random(mix64(this.key ^ mix64(fnv1a64(String(label)))));
  }

  #setWord(k: number, w: bigint): void {
    this.#s[2 * k] = Number(w >> 32n) | 0;
    this.#s[2 * k + 1] = Number(w & 0xffffffffn) | 0;
  }

  /**
   * Advances the state one step and leaves the 64-bit output in `#hi`/`#lo` (signed 32-bit halves). xoshiro256**:
   * `out = rotl(s1 * 5, 7) * 9; t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`,
   * all modulo 2^64.
   */
  #step(): void {
    const s = this.#s;
    const s0h = s[0] as number;
    const s0l = s[1] as number;
    const s1h = s[2] as number;
    const s1l = s[3] as number;
    const s2h = s[4] as number;
    const s2l = s[5] as number;
    const s3h = s[6] as number;
    const s3l = s[7] as number;

    // s1 * 5: the low product (< 2^35) is exact in a double; its high part carries into the high word.
    let p = (s1l >>> 0) * 5;
    let lo = p >>> 0;
    let hi = (Math.imul(s1h, 5) + (p - lo) * INV_TWO_POW_32) | 0;
    // rotl(., 7)
    const rh = (hi << 7) | (lo >>> 25);
    const rl = (lo << 7) | (hi >>> 25);
    // * 9
    p = (rl >>> 0) * 9;
    lo = p >>> 0;
    hi = (Math.imul(rh, 9) + (p - lo) * INV_TWO_POW_32) | 0;
    this.#hi = hi;
    this.#lo = lo | 0;

    // t = s1 << 17
    const th = (s1h << 17) | (s1l >>> 15);
    const tl = s1l << 17;
    const n2h = s2h ^ s0h;
    const n2l = s2l ^ s0l;
    const n3h = s3h ^ s1h;
    const n3l = s3l ^ s1l;
    s[2] = s1h ^ n2h;
    s[3] = s1l ^ n2l;
    s[0] = s0h ^ n3h;
    s[1] = s0l ^ n3l;
    s[4] = n2h ^ th;
    s[5] = n2l ^ tl;
    // rotl(s3, 45) = rotl(swap halves, 13)
    s[6] = (n3l << 13) | (n3h >>> 19);
    s[7] = (n3h << 13) | (n3l >>> 19);
  }

  /** The next 64-bit output as a bigint from 0 to 2^64 - 1 (for tests and interoperability; slower than the rest). */
  nextBigUint64(): bigint {
    this.#step();
    return (BigInt(this.#hi >>> 0) << 32n) | BigInt(this.#lo >>> 0);
  }

  /** A uniform integer from 0 to 2^32 - 1: the high 32 bits of the next 64-bit output. */
  nextUint32(): number {
    this.#step();
    return this.#hi >>> 0;
  }

  /** A uniform integer from 0 to 2^53 - 1: the next 64-bit output shifted right by 11 bits. */
  #next53(): number {
    this.#step();
    return (this.#hi >>> 0) * 2097152 + (this.#lo >>> 11);
  }

  /**
   * A uniform double in [0, 1): `(x >>> 11) * 2^-53` for the next 64-bit output x, so every multiple of 2^-53 in
   * [0, 1) is equally likely (the xoshiro authors' recommended conversion).
   */
  nextDouble(): number {
    this.#step();
    return (this.#hi >>> 0) * INV_TWO_POW_32 + (this.#lo >>> 11) * INV_TWO_POW_53;
  }

  /**
   * A uniform whole number from 0 to n - 1, exactly unbiased: draws 53-bit integers x, rejects those at or above
   * `2^53 - (2^53 mod n)` (a fraction below n / 2^53 of them), and returns `x mod n`. `n` must be a whole number
   * from 1 to 2^53; ValidationError otherwise.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new ValidationError(`Random.int needs a whole number from 1 to 2^53, got ${n}`);
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const x = this.#next53();
      if (x < limit) return x % n;
    }
  }

  /**
   * A standard normal variate (mean 0, variance 1) by Marsaglia's polar method: draws (u, v) uniform on the square
   * (-1, 1)^2 until `0 < w = u^2 + v^2 < 1`, then `u * f` and `v * f` with `f = sqrt(-2 ln(w) / w)` are two independent
   * standard normals; the second is kept and returned by the next call.
   */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u: number;
    let v: number;
    let w: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      w = u * u + v * v;
    } while (w >= 1 || w === 0);
    const f = Math.sqrt((-2 * Math.log(w)) / w);
    this.#spare = v * f;
    this.#hasSpare = true;
    return u * f;
  }

  /**
   * A Student-t variate with `nu` degrees of freedom (mean 0 for nu > 1, variance nu / (nu - 2) for nu > 2), by
   * Bailey's polar method (Math. Comp. 62, 1994, 779-781): with (u, v) uniform on the unit disc and `w = u^2 + v^2`,
   * `u * sqrt(nu * (w^(-2/nu) - 1) / w)` is exactly t-distributed; `w^(-2/nu) - 1` is computed as
   * `expm1(-2 ln(w) / nu)` to stay accurate for large nu. `nu = Infinity` gives a standard normal. `nu` must be a
   * number greater than 0; ValidationError otherwise.
   */
  studentT(nu: number): number {
    if (nu === Number.POSITIVE_INFINITY) return this.normal();
    if (!(nu > 0)) throw new ValidationError(`Student-t degrees of freedom must be greater than 0, got ${nu}`);
    let u: number;
    let v: number;
    let w: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      w = u * u + v * v;
    } while (w >= 1 || w === 0);
    return u * Math.sqrt((nu * Math.expm1((-2 * Math.log(w)) / nu)) / w);
  }

  /**
   * A gamma variate with the given shape and scale 1 (mean = variance = shape), by Marsaglia & Tsang (ACM TOMS 26,
   * 2000): with `d = shape - 1/3`, `c = 1 / sqrt(9d)`, x standard normal, `v = (1 + c x)^3 > 0` and u uniform, accept
   * `d v` when `u < 1 - 0.0331 x^4` or `ln u < x^2 / 2 + d (1 - v + ln v)`. A shape below 1 uses
   * `gamma(shape + 1) * U^(1/shape)` with U uniform on (0, 1]. `shape` must be a finite number greater than 0;
   * ValidationError otherwise. A chi-squared variate with k degrees of freedom is `2 * gamma(k / 2)`.
   */
  gamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) {
      throw new ValidationError(`a gamma shape must be a finite number greater than 0, got ${shape}`);
    }
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      return g * Math.exp(Math.log(1 - this.nextDouble()) / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.nextDouble();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** An exponential variate with rate 1 (mean 1, variance 1): `-ln(1 - U)` with U uniform on [0, 1). */
  exponential(): number {
    return -Math.log(1 - this.nextDouble());
  }
}
