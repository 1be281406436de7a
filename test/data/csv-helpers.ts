import { expect } from 'vitest';
import { CsvFormatError } from '../../src/core/errors.js';

/** Runs `run`, asserts it throws a CsvFormatError, and returns that error for its location to be checked. */
export function caught(run: () => unknown): CsvFormatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvFormatError);
    return error as CsvFormatError;
  }
  throw new Error('expected a CsvFormatError, but nothing was thrown');
}
