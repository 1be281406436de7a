/**
 * The Gram kernel in WebAssembly SIMD (f64x2): 4 x 4 tiles of X'X, about three times faster than the scalar
 * JavaScript kernel (V8 does not vectorise JavaScript). The module is written with the small encoder in
 * wasm-encoder.ts and compiled once, on first use; where WebAssembly or its SIMD extension is missing,
 * `gramSimd` returns undefined and `gram` uses the scalar kernel. Its memory holds one packed block of rows (8 KiB
 * per column, 4 MiB for 500 columns) and is kept for the next call.
 */

import { packBlock, ROW_BLOCK, symmetricFromUpper } from './gram-pack.js';
import { I32, moduleWithOneFunction, op, V128 } from './wasm-encoder.js';

/** Columns per panel: a 4 x 4 tile is 8 f64x2 accumulators, which with the operands fits 16 vector registers. */
const PANEL = 4;
/** Byte offset of the 4 x 4 tile the kernel writes; the packed panels follow it. */
const TILE = 0;
const PACK = 128;
const PAGE = 65536;

/**
 * `tile(a, b, bytes, out)`: for two packed panels at byte offsets a and b, each `bytes / 32` rows of 4 doubles,
 * writes the 4 x 4 sums s[i][j] = sum_t a[t][i] * b[t][j] at `out` (row-major, 16 doubles). Locals: 4 the byte
 * index k, 5..12 the accumulators (row i, columns 0-1 and 2-3), 13 and 14 b's two halves, 15 the splatted a[t][i].
 */
function tileKernel(): Uint8Array {
  const [a, b, bytes, out, k, acc, y01, y23, xi] = [0, 1, 2, 3, 4, 5, 13, 14, 15];
  const body: number[] = [...op.block(), ...op.loop()];
  body.push(...op.localGet(k), ...op.localGet(bytes), ...op.i32GeU(), ...op.brIf(1));
  body.push(...op.localGet(b), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(0), ...op.localSet(y01));
  body.push(...op.localGet(b), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(16), ...op.localSet(y23));
  for (let i = 0; i < PANEL; i++) {
    body.push(...op.localGet(a), ...op.localGet(k), ...op.i32Add(), ...op.v128Load64Splat(8 * i), ...op.localSet(xi));
    for (const [h, y] of [
      [0, y01],
      [1, y23],
    ] as const) {
      const s = acc + 2 * i + h;
      body.push(...op.localGet(s), ...op.localGet(xi), ...op.localGet(y), ...op.f64x2Mul(), ...op.f64x2Add());
      body.push(...op.localSet(s));
    }
  }
  body.push(...op.localGet(k), ...op.i32Const(8 * PANEL), ...op.i32Add(), ...op.localSet(k), ...op.br(0));
  body.push(...op.end(), ...op.end());
  for (let q = 0; q < 2 * PANEL; q++) body.push(...op.localGet(out), ...op.localGet(acc + q), ...op.v128Store(16 * q));
  return moduleWithOneFunction(
    'tile',
    [I32, I32, I32, I32],
    [
      [1, I32],
      [11, V128],
    ],
    body,
    1,
  );
}

/** The part of the WebAssembly JavaScript API used here (declared locally: the project's type libraries omit it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

interface Runtime {
  readonly memory: WasmMemory;
  readonly tile: (a: number, b: number, bytes: number, out: number) => void;
}

let runtime: Runtime | null | undefined;

/** The compiled kernel, or null when this JavaScript engine cannot run WebAssembly SIMD. */
function load(): Runtime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = tileKernel();
    if (wasm?.validate(bytes)) {
      const memory = new wasm.Memory({ initial: 1 });
      const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
      runtime = { memory, tile: instance.exports.tile as Runtime['tile'] };
    }
  } catch {
    runtime = null; // no usable WebAssembly: the scalar kernel serves
  }
  return runtime;
}

/** True when the WebAssembly SIMD Gram kernel can run here. */
export function simdAvailable(): boolean {
  return load() !== null;
}

/**
 * X'X of a rows x cols column-major matrix with the SIMD kernel, as a full symmetric cols x cols row-major array;
 * undefined when WebAssembly SIMD is unavailable (or its memory cannot grow to a block of panels). The same sums as
 * the scalar kernel, each accumulated over a block of 256 rows and then added block after block.
 */
export function gramSimd(x: Float64Array, rows: number, cols: number): Float64Array | undefined {
  const rt = load();
  if (rt === null) return undefined;
  const panels = Math.ceil(cols / PANEL);
  const width = panels * PANEL;
  const block = Math.min(ROW_BLOCK, Math.max(rows, 1));
  const needed = PACK + width * block * 8;
  if (rt.memory.buffer.byteLength < needed) {
    try {
      rt.memory.grow(Math.ceil((needed - rt.memory.buffer.byteLength) / PAGE));
    } catch {
      return undefined;
    }
  }
  const heap = new Float64Array(rt.memory.buffer);
  const acc = new Float64Array(width * width);
  const tile = rt.tile;
  for (let t0 = 0; t0 < rows; t0 += ROW_BLOCK) {
    const len = Math.min(ROW_BLOCK, rows - t0);
    const panelBytes = PANEL * len * 8;
    packBlock(x, rows, cols, t0, len, PANEL, heap, PACK / 8);
    for (let pi = 0; pi < panels; pi++) {
      for (let pj = pi; pj < panels; pj++) {
        tile(PACK + pi * panelBytes, PACK + pj * panelBytes, panelBytes, TILE);
        let o = pi * PANEL * width + pj * PANEL;
        for (let i = 0; i < PANEL; i++, o += width) {
          acc[o] = (acc[o] as number) + (heap[4 * i] as number);
          acc[o + 1] = (acc[o + 1] as number) + (heap[4 * i + 1] as number);
          acc[o + 2] = (acc[o + 2] as number) + (heap[4 * i + 2] as number);
          acc[o + 3] = (acc[o + 3] as number) + (heap[4 * i + 3] as number);
        }
      }
    }
  }
  return symmetricFromUpper(acc, width, cols);
}
