/**
 * The HiGHS solver (linear, quadratic and mixed-integer programs) compiled to WebAssembly, loaded once per process.
 * Loading takes about 75 ms; every later call reuses the same runtime. Models created from it hold WebAssembly memory
 * that the garbage collector does not free: dispose of each one (`using`, `withModel` or `dispose()`).
 */

import highsLoader, { type Highs } from 'highs';

let runtime: Promise<Highs> | undefined;

/** The process-wide HiGHS runtime (loaded on first use). */
export function loadHighs(): Promise<Highs> {
  runtime ??= highsLoader();
  return runtime;
}
