/**
 * The one error hierarchy of pfopt. Every error a user can cause carries a message that names the problem and says
 * what to change; the command line prints that message on one line and exits with the error's `exitCode`.
 */

/** Base class of every error pfopt raises on purpose. `exitCode` is the process exit code the CLI uses. */
export class PfoptError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A parameter, option or configuration value is not acceptable (exit code 2). */
export class ValidationError extends PfoptError {
  override readonly exitCode: number = 2;
}

/** Input data cannot be used as it is: malformed files, impossible prices, unknown tickers (exit code 3). */
export class DataError extends PfoptError {
  override readonly exitCode: number = 3;
}

/** Where a CSV problem was found, so the user can open the file at that place. */
export interface CsvLocation {
  /** The file's path or name as the user gave it. */
  readonly file: string;
  /** 1-based physical line in the file; the header is line 1. */
  readonly line: number;
  /** 1-based column number, when the problem is in one cell. */
  readonly column?: number;
  /** The column's header, when known. */
  readonly columnName?: string;
  /** What was expected there. */
  readonly expected: string;
  /** What was found there. */
  readonly found: string;
}

/** A CSV file is malformed; the message and the fields name the file, line, column, and expected versus found. */
export class CsvFormatError extends DataError {
  readonly location: CsvLocation;
  constructor(location: CsvLocation, advice?: string) {
    const where =
      location.column === undefined
        ? `${location.file}, line ${location.line}`
        : `${location.file}, line ${location.line}, column ${location.column}` +
          (location.columnName === undefined ? '' : ` (${JSON.stringify(location.columnName)})`);
    super(`${where}: expected ${location.expected}, found ${location.found}${advice ? `. ${advice}` : ''}`);
    this.location = location;
  }
}

/** The constraints of an optimization cannot all hold at once (exit code 4). */
export class InfeasibleError extends PfoptError {
  override readonly exitCode: number = 4;
}

/** The local cache could not be opened, read or written (exit code 6). */
export class CacheError extends PfoptError {
  override readonly exitCode: number = 6;
}
