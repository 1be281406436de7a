/**
 * A minimal WebAssembly binary encoder: just enough (LEB128 numbers, sections, and the handful of instructions the
 * SIMD kernels use) to write small modules as readable instruction lists instead of opaque bytes. Encodings follow
 * the WebAssembly core specification 2.0, section 5 ("Binary format"), with the fixed-width SIMD opcodes.
 */

/** Value types. */
export const I32 = 0x7f;
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
  i32Const: (value: number): number[] => [0x41, ...sleb(value)],
  i32Add: (): number[] => [0x6a],
  i32GeU: (): number[] => [0x4f],
  v128Load: (offset: number): number[] => [0xfd, ...uleb(0), ...uleb(4), ...uleb(offset)],
  v128Load64Splat: (offset: number): number[] => [0xfd, ...uleb(10), ...uleb(3), ...uleb(offset)],
  v128Store: (offset: number): number[] => [0xfd, ...uleb(11), ...uleb(4), ...uleb(offset)],
  f64x2Add: (): number[] => [0xfd, ...uleb(240)],
  f64x2Mul: (): number[] => [0xfd, ...uleb(242)],
};

/** A function type `(params) -> ()`. */
export function funcType(params: readonly number[]): number[] {
  return [0x60, ...vector(params.map((p) => [p])), ...vector([])];
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
  const code = [...vector(locals.map(([count, type]) => [...uleb(count), type])), ...body, ...op.end()];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...section(1, vector([funcType(params)])), // types
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]])), // imports
    ...section(3, vector([uleb(0)])), // functions: type 0
    ...section(7, vector([[...name(exportName), 0x00, ...uleb(0)]])), // exports
    ...section(10, vector([[...uleb(code.length), ...code]])), // code
  ]);
}
