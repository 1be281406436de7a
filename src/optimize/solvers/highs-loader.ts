/**
 * The HiGHS solver (linear, quadratic and mixed-integer programs) compiled to WebAssembly, loaded once per process.
 * Loading takes about 75 ms; every later call reuses the same runtime. Models created from it hold WebAssembly memory
 * that the garbage collector does not free: dispose of each one (`using`, `withModel` or `dispose()`).
 */

import type { Highs, InitOptions } from 'highs';
import * as highsModule from 'highs';

type HighsLoader = (options?: InitOptions) => Promise<Highs>;

// `highs` ships CommonJS typings (`export default` in the .d.ts of a "type": "commonjs" package) for an ESM entry
// point: TypeScript then types the namespace's `default` as the whole module, while Node's ESM loader puts the loader
// function itself there. Take the function from wherever it is.
const exported: unknown = highsModule.default;
const highsLoader = (
  typeof exported === 'function' ? exported : (exported as { default: unknown }).default
) as HighsLoader;

let runtime: Promise<Highs> | undefined;

/** The process-wide HiGHS runtime (loaded on first use). */
export function loadHighs(): Promise<Highs> {
  runtime ??= highsLoader();
  return runtime;
}
