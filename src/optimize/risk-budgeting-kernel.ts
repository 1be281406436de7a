/**
 * The inner kernel of the risk-budgeting coordinate descent: `v <- v + alpha S_i` (S_i the i-th row of a symmetric
 * n x n matrix, which is also its i-th column), in WebAssembly SIMD (f64x2, two products per instruction) where the
 * runtime supports it, else in scalar JavaScript. V8 does not vectorise JavaScript, and this update is the whole cost
 * of a sweep (n of them per sweep): SIMD halves it. The module is written with the small encoder of
 * core/linalg/wasm-encoder.ts and compiled once. S is copied into the module's memory with its rows padded to an
 * even length, so that every row starts on a 16-byte boundary; a memory of up to 16 MiB (n up to about 1,400) is
 * kept for the next solve, a larger one is released with its kernel. A kernel is valid until the next `rowKernel`
 * call (solves are synchronous, one at a time).
 */

import { I32, moduleWithOneFunction, op, V128 } from '../core/linalg/wasm-encoder.js';

/** A symmetric matrix S and a vector v with the two operations the solver needs. */
export interface RowKernel {
  /** The vector v (length n). */
  readonly v: Float64Array;
  /** v <- v + alpha S_i (row i of S), in the units of S times those of alpha. */
  axpy(i: number, alpha: number): void;
  /** v <- S x (as the sum over j of x_j S_j, j ascending); returns v. */
  multiply(x: ArrayLike<number>): Float64Array;
}

/**
 * `axpy(x, y, bytes, alpha)`: for byte offsets k = 0, 16, ... below `bytes`, the two doubles at y + k gain alpha
 * (the double at byte `alpha`, splatted) times the two at x + k. Locals: 4 the offset k, 5 the splatted alpha.
 */
function axpyKernel(): Uint8Array {
  const [x, y, bytes, alpha, k, a] = [0, 1, 2, 3, 4, 5];
  const body: number[] = [...op.localGet(alpha), ...op.v128Load64Splat(0), ...op.localSet(a)];
  body.push(...op.block(), ...op.loop());
  body.push(...op.localGet(k), ...op.localGet(bytes), ...op.i32GeU(), ...op.brIf(1));
  body.push(...op.localGet(y), ...op.localGet(k), ...op.i32Add()); // address of the store
  body.push(...op.localGet(y), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(0));
  body.push(...op.localGet(x), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(0));
  body.push(...op.localGet(a), ...op.f64x2Mul(), ...op.f64x2Add(), ...op.v128Store(0));
  body.push(...op.localGet(k), ...op.i32Const(16), ...op.i32Add(), ...op.localSet(k), ...op.br(0));
  body.push(...op.end(), ...op.end());
  return moduleWithOneFunction(
    'axpy',
    [I32, I32, I32, I32],
    [
      [1, I32],
      [1, V128],
    ],
    body,
    1,
  );
}

/** The part of the WebAssembly JavaScript API used here (declared locally: the project's type libraries omit it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const PAGE = 65536;
/** Largest memory requested (bytes): beyond it (n above about 11,000) the scalar kernel serves. */
const MAX_BYTES = 1 << 30;
/** Largest memory kept between solves (bytes). */
const KEEP_BYTES = 16 << 20;

let compiled: { api: WasmApi; module: object } | null | undefined;

/** An instantiated kernel with its memory. */
interface Instance {
  readonly bytes: number;
  readonly heap: Float64Array;
  readonly axpy: (x: number, y: number, bytes: number, alpha: number) => void;
}

let kept: Instance | undefined;

/** An instance whose memory holds at least `bytes`: the kept one when large enough, else a new one. */
function instanceFor(wasm: { api: WasmApi; module: object }, bytes: number): Instance {
  if (kept !== undefined && kept.bytes >= bytes) return kept;
  const pages = Math.ceil(bytes / PAGE);
  const memory = new wasm.api.Memory({ initial: pages });
  const instance = new wasm.api.Instance(wasm.module, { env: { memory } });
  const out: Instance = {
    bytes: pages * PAGE,
    heap: new Float64Array(memory.buffer),
    axpy: instance.exports.axpy as Instance['axpy'],
  };
  if (out.bytes <= KEEP_BYTES) kept = out;
  return out;
}

/** The compiled module, or null when this JavaScript engine cannot run WebAssembly SIMD. */
function compiledModule(): { api: WasmApi; module: object } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = axpyKernel();
    if (api?.validate(bytes)) compiled = { api, module: new api.Module(bytes) };
  } catch {
    compiled = null; // no usable WebAssembly: the scalar kernel serves
  }
  return compiled;
}

/**
 * The kernel for the symmetric n x n row-major matrix s: WebAssembly SIMD when available (and `simd` is not false),
 * else scalar JavaScript. Both add the same products in the same order to each entry of v.
 */
export function rowKernel(s: Float64Array, n: number, simd = true): RowKernel {
  const wasm = simd ? compiledModule() : null;
  const stride = n + (n % 2); // even, so that every row starts on a 16-byte boundary
  const bytes = 16 + 8 * stride * (n + 1);
  if (wasm === null || bytes > MAX_BYTES) return scalarKernel(s, n);
  let instance: Instance;
  try {
    instance = instanceFor(wasm, bytes);
  } catch {
    return scalarKernel(s, n);
  }
  const { axpy, heap } = instance;
  const base = 2; // doubles: heap[0] holds alpha, heap[1] is padding
  for (let i = 0; i < n; i++) {
    heap.set(s.subarray(i * n, (i + 1) * n), base + i * stride);
    if (stride > n) heap[base + i * stride + n] = 0; // the padding column adds 0 * alpha to the padding of v
  }
  const vOffset = base + n * stride;
  const v = heap.subarray(vOffset, vOffset + n);
  const rowBytes = 8 * stride;
  return {
    v,
    axpy(i: number, alpha: number): void {
      heap[0] = alpha;
      axpy(8 * (base + i * stride), 8 * vOffset, rowBytes, 0);
    },
    multiply(x: ArrayLike<number>): Float64Array {
      heap.fill(0, vOffset, vOffset + stride);
      for (let j = 0; j < n; j++) {
        heap[0] = x[j] as number;
        axpy(8 * (base + j * stride), 8 * vOffset, rowBytes, 0);
      }
      return v;
    },
  };
}

/** The same kernel in scalar JavaScript. */
function scalarKernel(s: Float64Array, n: number): RowKernel {
  const v = new Float64Array(n);
  const axpy = (i: number, alpha: number): void => {
    const row = i * n;
    for (let j = 0; j < n; j++) v[j] = (v[j] as number) + alpha * (s[row + j] as number);
  };
  return {
    v,
    axpy,
    multiply(x: ArrayLike<number>): Float64Array {
      v.fill(0);
      for (let j = 0; j < n; j++) axpy(j, x[j] as number);
      return v;
    },
  };
}
