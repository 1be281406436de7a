/**
 * The blocked Cholesky factorisation's kernels in WebAssembly SIMD (f64x2), written with the encoder of
 * wasm-encoder.ts and compiled once, on first use. `syrk` is the O(n^3) trailing update in 4 x 4 register tiles
 * (eight f64x2 accumulators; the whole factorisation runs five to ten times faster than on the scalar kernels);
 * `column` forms a panel column for four groups of four rows at a time. Where WebAssembly or its SIMD extension is
 * missing, `simdKernels` returns undefined and the factorisation uses the scalar kernels of cholesky-kernels.ts, which
 * compute the same sums in the same order. The module's memory holds the working matrix (8 MiB for n = 1000) and is
 * kept for the next call.
 */

import type { CholeskyKernels } from './cholesky-kernels.js';
import {
  ensureMemory,
  F64,
  I32,
  instantiateWithMemory,
  moduleWithFunctions,
  op,
  V128,
  type WasmFunction,
  type WasmMemory,
} from './wasm-encoder.js';

const get = op.localGet;
const set = op.localSet;

/** `local = local + addend` for an i32 local (`addend` pushes the i32 to add). */
function addTo(local: number, addend: readonly number[]): number[] {
  return [...get(local), ...addend, ...op.i32Add(), ...set(local)];
}

/**
 * `syrk(a, from, to, stride, depth, c)`, all in bytes except `from` and `to`: for every pair of groups i >= j with
 * from <= i < to (group i's panel at a + i * stride, `depth` bytes = 32 per column), the 4 x 4 sums
 * `s[col][row] = sum_k a_j[k][col] * a_i[k][row]` subtracted from the 128-byte tile at `c + i * stride + 128 j`
 * (column-major within the tile, as the group layout stores it). Requires from < to and depth >= 32.
 * Locals: 6 ai, 7 aEnd, 8 ci, 9 aj, 10 tile, 11 kA, 12 kB, 13 kEnd; 14..21 the accumulators (column col of group j,
 * rows 0-1 and 2-3 of group i), 22 and 23 group i's two halves, 24 the splatted a_j[k][col].
 */
function syrkFunction(): WasmFunction {
  const [a, from, to, stride, depth, c] = [0, 1, 2, 3, 4, 5];
  const [ai, aEnd, ci, aj, tile, kA, kB, kEnd] = [6, 7, 8, 9, 10, 11, 12, 13];
  const [acc, x01, x23, y] = [14, 22, 23, 24];
  const body: number[] = [];
  body.push(...get(a), ...get(from), ...get(stride), ...op.i32Mul(), ...op.i32Add(), ...set(ai));
  body.push(...get(c), ...get(from), ...get(stride), ...op.i32Mul(), ...op.i32Add(), ...set(ci));
  body.push(...get(a), ...get(to), ...get(stride), ...op.i32Mul(), ...op.i32Add(), ...set(aEnd));
  body.push(...op.loop()); // over i
  body.push(...get(a), ...set(aj), ...get(ci), ...set(tile));
  body.push(...op.loop()); // over j <= i
  for (let q = 0; q < 8; q++) body.push(...op.v128Zero(), ...set(acc + q));
  body.push(...get(ai), ...set(kA), ...get(aj), ...set(kB));
  body.push(...get(ai), ...get(depth), ...op.i32Add(), ...set(kEnd));
  body.push(...op.loop()); // over k
  body.push(...get(kA), ...op.v128Load(0), ...set(x01), ...get(kA), ...op.v128Load(16), ...set(x23));
  for (let col = 0; col < 4; col++) {
    body.push(...get(kB), ...op.v128Load64Splat(8 * col), ...set(y));
    for (const [h, x] of [
      [0, x01],
      [1, x23],
    ] as const) {
      const s = acc + 2 * col + h;
      body.push(...get(s), ...get(y), ...get(x), ...op.f64x2Mul(), ...op.f64x2Add(), ...set(s));
    }
  }
  body.push(...addTo(kB, op.i32Const(32)));
  body.push(...get(kA), ...op.i32Const(32), ...op.i32Add(), ...op.localTee(kA), ...get(kEnd), ...op.i32LtU());
  body.push(...op.brIf(0), ...op.end()); // k
  for (let q = 0; q < 8; q++) {
    body.push(...get(tile), ...get(tile), ...op.v128Load(16 * q), ...get(acc + q), ...op.f64x2Sub());
    body.push(...op.v128Store(16 * q));
  }
  body.push(...addTo(tile, op.i32Const(128)));
  body.push(...get(aj), ...get(stride), ...op.i32Add(), ...op.localTee(aj), ...get(ai), ...op.i32LeU());
  body.push(...op.brIf(0), ...op.end()); // j
  body.push(...addTo(ci, get(stride)));
  body.push(...get(ai), ...get(stride), ...op.i32Add(), ...op.localTee(ai), ...get(aEnd), ...op.i32LtU());
  body.push(...op.brIf(0), ...op.end()); // i
  return {
    name: 'syrk',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [
      [8, I32],
      [11, V128],
    ],
    body,
  };
}

/**
 * `column(p, groups, stride, j32, lrow, divisor)`, offsets in bytes: for each of `groups` groups from p, `stride`
 * apart, both halves of panel column j (at byte j32 = 32 j from the group's panel start) become
 * `(W[j] - sum_{k<j} W[k] * splat(lrow + 32k)) / divisor`. Four groups at a time (eight accumulators), then the
 * remaining groups one by one.
 * Locals: 6 g, 7 gEnd, 8 k (bytes), 9..12 the four groups' panel starts, 13..16 their column j; 17..24 the
 * accumulators, 25 the splatted L[j][k], 26 the splatted divisor.
 */
function columnFunction(): WasmFunction {
  const [p, groups, stride, j32, lrow, divisor] = [0, 1, 2, 3, 4, 5];
  const [g, gEnd, k, gs, gj] = [6, 7, 8, 9, 13];
  const [acc, x, dv] = [17, 25, 26];
  const body: number[] = [];
  body.push(...get(divisor), ...op.f64x2Splat(), ...set(dv));
  body.push(...get(p), ...set(g));
  body.push(...get(p), ...get(groups), ...get(stride), ...op.i32Mul(), ...op.i32Add(), ...set(gEnd));
  /** The loop over groups, `count` at a time, while `count` more groups remain. */
  const groupsLoop = (count: number): number[] => {
    const out: number[] = [...op.block(), ...op.loop()];
    // Exit unless g + (count - 1) * stride < gEnd.
    out.push(...get(g));
    for (let q = 1; q < count; q++) out.push(...get(stride), ...op.i32Add());
    out.push(...get(gEnd), ...op.i32GeU(), ...op.brIf(1));
    for (let q = 0; q < count; q++) {
      out.push(...get(g));
      for (let r = 0; r < q; r++) out.push(...get(stride), ...op.i32Add());
      out.push(...op.localTee(gs + q), ...get(j32), ...op.i32Add(), ...set(gj + q));
      out.push(...get(gj + q), ...op.v128Load(0), ...set(acc + 2 * q));
      out.push(...get(gj + q), ...op.v128Load(16), ...set(acc + 2 * q + 1));
    }
    out.push(...op.i32Const(0), ...set(k));
    out.push(...op.block(), ...op.loop());
    out.push(...get(k), ...get(j32), ...op.i32GeU(), ...op.brIf(1));
    out.push(...get(lrow), ...get(k), ...op.i32Add(), ...op.v128Load64Splat(0), ...set(x));
    for (let q = 0; q < count; q++) {
      for (const h of [0, 1]) {
        const s = acc + 2 * q + h;
        out.push(...get(s), ...get(gs + q), ...get(k), ...op.i32Add(), ...op.v128Load(16 * h), ...get(x));
        out.push(...op.f64x2Mul(), ...op.f64x2Sub(), ...set(s));
      }
    }
    out.push(...addTo(k, op.i32Const(32)), ...op.br(0), ...op.end(), ...op.end()); // k
    for (let q = 0; q < count; q++) {
      for (const h of [0, 1]) {
        out.push(...get(gj + q), ...get(acc + 2 * q + h), ...get(dv), ...op.f64x2Div(), ...op.v128Store(16 * h));
      }
    }
    out.push(...get(g));
    for (let q = 0; q < count; q++) out.push(...get(stride), ...op.i32Add());
    out.push(...set(g), ...op.br(0), ...op.end(), ...op.end());
    return out;
  };
  body.push(...groupsLoop(4), ...groupsLoop(1));
  return {
    name: 'column',
    params: [I32, I32, I32, I32, I32, F64],
    locals: [
      [11, I32],
      [10, V128],
    ],
    body,
  };
}

interface Runtime {
  readonly memory: WasmMemory;
  readonly syrk: (a: number, from: number, to: number, stride: number, depth: number, c: number) => void;
  readonly column: (p: number, groups: number, stride: number, j32: number, lrow: number, divisor: number) => void;
}

let runtime: Runtime | null | undefined;

/** The compiled module, or null when this JavaScript engine cannot run WebAssembly SIMD. */
function load(): Runtime | null {
  if (runtime !== undefined) return runtime;
  const loaded = instantiateWithMemory(moduleWithFunctions([syrkFunction(), columnFunction()], 1), 1);
  runtime =
    loaded === null
      ? null
      : {
          memory: loaded.memory,
          syrk: loaded.exports.syrk as Runtime['syrk'],
          column: loaded.exports.column as Runtime['column'],
        };
  return runtime;
}

/** True when the WebAssembly SIMD Cholesky kernels can run here. */
export function choleskySimdAvailable(): boolean {
  return load() !== null;
}

let kernels: CholeskyKernels | null | undefined;

/**
 * The kernels of cholesky-kernels.ts in WebAssembly SIMD, over the module's own memory (grown as needed and kept);
 * undefined when WebAssembly SIMD is unavailable. Offsets are converted from doubles to bytes at each call.
 */
export function simdKernels(): CholeskyKernels | undefined {
  if (kernels !== undefined) return kernels ?? undefined;
  const rt = load();
  kernels =
    rt === null
      ? null
      : {
          heap: (doubles) => (ensureMemory(rt.memory, 8 * doubles) ? new Float64Array(rt.memory.buffer) : undefined),
          column: (_heap, p, groups, stride, j, lrow, divisor) =>
            rt.column(8 * p, groups, 8 * stride, 32 * j, 8 * lrow, divisor),
          syrk: (_heap, a, from, to, stride, depth, c) => rt.syrk(8 * a, from, to, 8 * stride, 32 * depth, 8 * c),
        };
  return kernels ?? undefined;
}
