/**
 * The inner product of the Monte Carlo simulation, `x = L z` for a panel of 4 assets against a panel of 4 paths, in
 * WebAssembly SIMD (f64x2) where the runtime has it, else in scalar JavaScript. Both form each sum over k in the same
 * order (k ascending, `s += l * z` unfused), so they agree to the last bit.
 *
 * Layout, all in one workspace of doubles:
 * - asset panel J (assets 4J .. 4J+3): `l[k * 4 + j] = L[4J + j][k]`, k = 0 .. depth-1;
 * - path panel P (4 paths): `z[k * 4 + q]`, the k-th normal draw of the panel's path q;
 * - output: the tile `x[j][q] = sum_{k < K} l[k*4+j] z[k*4+q]` is stored at `out[(4J + j) * rowStride + 4C + q]`
 *   for an output column panel C, so a block of paths comes out asset-major (each asset's paths contiguous).
 */

import { I32, moduleWithOneFunction, op, V128 } from '../core/linalg/wasm-encoder.js';

const PANEL = 4;
const PAGE = 65536;

/**
 * `tile(a, b, bytes, out, stride)`: a is the byte offset of an asset panel and b of a path panel, each `bytes / 32`
 * rows of 4 doubles; writes `s[j][q] = sum_k a[k][j] b[k][q]` for j, q < 4 as 4 rows of 4 doubles at `out`,
 * `out + stride`, `out + 2 stride`, `out + 3 stride` (bytes). Locals: 5 the byte index k, 6..13 the accumulators
 * (row j, lanes q 0-1 and 2-3), 14 and 15 b's two halves, 16 the splatted a[k][j].
 */
function tileModule(): Uint8Array {
  const [a, b, bytes, out, stride, k, acc, y01, y23, xj] = [0, 1, 2, 3, 4, 5, 6, 14, 15, 16];
  const body: number[] = [...op.block(), ...op.loop()];
  body.push(...op.localGet(k), ...op.localGet(bytes), ...op.i32GeU(), ...op.brIf(1));
  body.push(...op.localGet(b), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(0), ...op.localSet(y01));
  body.push(...op.localGet(b), ...op.localGet(k), ...op.i32Add(), ...op.v128Load(16), ...op.localSet(y23));
  for (let j = 0; j < PANEL; j++) {
    body.push(...op.localGet(a), ...op.localGet(k), ...op.i32Add(), ...op.v128Load64Splat(8 * j), ...op.localSet(xj));
    for (const [h, y] of [
      [0, y01],
      [1, y23],
    ] as const) {
      const s = acc + 2 * j + h;
      body.push(...op.localGet(s), ...op.localGet(xj), ...op.localGet(y), ...op.f64x2Mul(), ...op.f64x2Add());
      body.push(...op.localSet(s));
    }
  }
  body.push(...op.localGet(k), ...op.i32Const(8 * PANEL), ...op.i32Add(), ...op.localSet(k), ...op.br(0));
  body.push(...op.end(), ...op.end());
  for (let j = 0; j < PANEL; j++) {
    for (let h = 0; h < 2; h++) {
      body.push(...op.localGet(out), ...op.localGet(acc + 2 * j + h), ...op.v128Store(16 * h));
    }
    body.push(...op.localGet(out), ...op.localGet(stride), ...op.i32Add(), ...op.localSet(out));
  }
  return moduleWithOneFunction(
    'tile',
    [I32, I32, I32, I32, I32],
    [
      [1, I32],
      [11, V128],
    ],
    body,
    1,
  );
}

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
  readonly tile: (a: number, b: number, bytes: number, out: number, stride: number) => void;
}

let runtime: Runtime | null | undefined;

function load(): Runtime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = tileModule();
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

/**
 * The arrays of one simulation and the tile product over them. `l` holds the asset panels, `z` the path panels, `x`
 * the output rows (`rows` rows of `rowStride` doubles). `tile(J, P, K, C)` computes the tile of asset panel J and
 * path panel P over the first K rows into rows 4J .. 4J+3, columns 4C .. 4C+3 of `x`. With SIMD the arrays live in the WebAssembly memory (one simulation at a
 * time: a later workspace reuses that memory); otherwise they are ordinary arrays and the kernel is scalar.
 */
export interface TileWorkspace {
  readonly l: Float64Array;
  readonly z: Float64Array;
  readonly x: Float64Array;
  readonly simd: boolean;
  tile(assetPanel: number, pathPanel: number, k: number, outPanel: number): void;
}

/**
 * A workspace for `assetPanels` and `pathPanels` panels of `depth` rows and an output of `rows` x `rowStride` doubles
 * (rowStride a multiple of 4); `simd: false` forces the scalar kernel.
 */
export function tileWorkspace(
  assetPanels: number,
  pathPanels: number,
  depth: number,
  rows: number,
  rowStride: number,
  simd = true,
): TileWorkspace {
  const panel = depth * PANEL;
  const rt = simd ? load() : null;
  if (rt !== null) {
    const lBytes = assetPanels * panel * 8;
    const zBytes = pathPanels * panel * 8;
    const needed = lBytes + zBytes + rows * rowStride * 8;
    let ok = true;
    if (rt.memory.buffer.byteLength < needed) {
      try {
        rt.memory.grow(Math.ceil((needed - rt.memory.buffer.byteLength) / PAGE));
      } catch {
        ok = false;
      }
    }
    if (ok) {
      const buffer = rt.memory.buffer;
      const l = new Float64Array(buffer, 0, assetPanels * panel);
      const z = new Float64Array(buffer, lBytes, pathPanels * panel);
      const x = new Float64Array(buffer, lBytes + zBytes, rows * rowStride);
      const tile = rt.tile;
      const panelBytes = panel * 8;
      const xBase = lBytes + zBytes;
      const stride = rowStride * 8;
      return {
        l,
        z,
        x,
        simd: true,
        tile(J, P, k, c) {
          tile(J * panelBytes, lBytes + P * panelBytes, k * 32, xBase + (4 * J * rowStride + 4 * c) * 8, stride);
        },
      };
    }
  }
  const l = new Float64Array(assetPanels * panel);
  const z = new Float64Array(pathPanels * panel);
  const x = new Float64Array(rows * rowStride);
  return {
    l,
    z,
    x,
    simd: false,
    tile(J, P, k, c) {
      scalarTile(l, J * panel, z, P * panel, k, x, 4 * J * rowStride + 4 * c, rowStride);
    },
  };
}

/** The tile in JavaScript: the same sums, in the same order, as the SIMD kernel. */
function scalarTile(
  l: Float64Array,
  la: number,
  z: Float64Array,
  za: number,
  k: number,
  x: Float64Array,
  out: number,
  stride: number,
): void {
  for (let j = 0; j < PANEL; j++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < k; t++) {
      const a = l[la + t * PANEL + j] as number;
      const o = za + t * PANEL;
      s0 += a * (z[o] as number);
      s1 += a * (z[o + 1] as number);
      s2 += a * (z[o + 2] as number);
      s3 += a * (z[o + 3] as number);
    }
    const r = out + j * stride;
    x[r] = s0;
    x[r + 1] = s1;
    x[r + 2] = s2;
    x[r + 3] = s3;
  }
}
