/**
 * A minimal WebAssembly binary encoder: just enough (LEB128 numbers, sections, and the handful of instructions the
 * SIMD kernels use) to write small modules as readable instruction lists instead of opaque bytes, and to instantiate
 * them against a memory of their own. Encodings follow the WebAssembly core specification 2.0, section 5 ("Binary
 * format"), with the fixed-width SIMD opcodes.
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128 encoding of a non-negative integer below 2^32. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 encoding of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A vector: its length, then its items' bytes. */
export function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A UTF-8 name (ASCII here). */
export function name(text: string): number[] {
  return vector(Array.from(text, (c) => [c.charCodeAt(0)]));
}

/** A section: id, byte size, contents. */
export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

/** Instructions, each returning its bytes. `align` is log2 of the byte alignment. */
export const op = {
  block: (): number[] => [0x02, 0x40],
  loop: (): number[] => [0x03, 0x40],
  end: (): number[] => [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  localGet: (index: number): number[] => [0x20, ...uleb(index)],
  localSet: (index: number): number[] => [0x21, ...uleb(index)],
  localTee: (index: number): number[] => [0x22, ...uleb(index)],
  i32Const: (value: number): number[] => [0x41, ...sleb(value)],
  i32Add: (): number[] => [0x6a],
  i32Mul: (): number[] => [0x6c],
  i32LtU: (): number[] => [0x49],
  i32LeU: (): number[] => [0x4d],
  i32GeU: (): number[] => [0x4f],
  v128Load: (offset: number): number[] => [0xfd, ...uleb(0), ...uleb(4), ...uleb(offset)],
  v128Load64Splat: (offset: number): number[] => [0xfd, ...uleb(10), ...uleb(3), ...uleb(offset)],
  v128Store: (offset: number): number[] => [0xfd, ...uleb(11), ...uleb(4), ...uleb(offset)],
  /** The 128-bit constant with every bit zero (both f64 lanes +0). */
  v128Zero: (): number[] => [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  f64x2Splat: (): number[] => [0xfd, ...uleb(20)],
  f64x2Add: (): number[] => [0xfd, ...uleb(240)],
  f64x2Sub: (): number[] => [0xfd, ...uleb(241)],
  f64x2Mul: (): number[] => [0xfd, ...uleb(242)],
  f64x2Div: (): number[] => [0xfd, ...uleb(243)],
};

/** A function type `(params) -> ()`. */
export function funcType(params: readonly number[]): number[] {
  return [0x60, ...vector(params.map((p) => [p])), ...vector([])];
}

/** One exported function of a module: its export name, parameter types, extra locals (count, type pairs) and body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly (readonly [number, number])[];
  readonly body: readonly number[];
}

/**
 * A module with one imported memory (`env.memory`, at least `minPages` pages of 64 KiB) and the exported functions
 * `functions`, function i of type i `(params) -> ()`, exported under its name.
 */
export function moduleWithFunctions(functions: readonly WasmFunction[], minPages: number): Uint8Array {
  const codes = functions.map((f) => {
    const code = [...vector(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...op.end()];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...section(1, vector(functions.map((f) => funcType(f.params)))), // types
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]])), // imports
    ...section(3, vector(functions.map((_, i) => uleb(i)))), // functions: function i has type i
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))), // exports
    ...section(10, vector(codes)), // code
  ]);
}

/**
 * A module with one imported memory (`env.memory`, at least `minPages` pages of 64 KiB) and one exported function
 * `name` of type `(params) -> ()` whose extra locals are `locals` (count, type pairs) and body `body`.
 */
export function moduleWithOneFunction(
  exportName: string,
  params: readonly number[],
  locals: readonly (readonly [number, number])[],
  body: readonly number[],
  minPages: number,
): Uint8Array {
  return moduleWithFunctions([{ name: exportName, params, locals, body }], minPages);
}

/** The part of the WebAssembly JavaScript API the kernels use (declared here: the project's type libraries omit it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE = 65536;

/**
 * Compiles `bytes` (a module importing `env.memory`, as `moduleWithFunctions` writes) against a fresh memory of
 * `initialPages` pages; returns the memory and the module's exports, or null when this JavaScript engine has no
 * WebAssembly or rejects the module (e.g. no SIMD support).
 */
export function instantiateWithMemory(
  bytes: Uint8Array,
  initialPages: number,
): { readonly memory: WasmMemory; readonly exports: Record<string, unknown> } | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm?.validate(bytes)) return null;
    const memory = new wasm.Memory({ initial: initialPages });
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
    return { memory, exports: instance.exports };
  } catch {
    return null;
  }
}

/**
 * Grows `memory` (never shrinks it) so that it holds at least `bytes` bytes; false when it cannot grow that far
 * (the engine's limit or no address space left).
 */
export function ensureMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    return true;
  } catch {
    return false;
  }
}
