/**
 * The CSV input as bytes, and the mapping from byte offsets to the physical line and field a user sees in an editor.
 * Line numbers are computed only when an error is reported, so reading a good file pays nothing for them.
 */

import { CsvFormatError } from '../../core/errors.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const TAB = 0x09;

/** Longest cell text quoted in full in a message; longer texts are cut. */
const MAX_SHOWN = 60;

/** The text of a cell as a message shows it: quoted, cut when long, or "an empty cell". */
export function describeCell(text: string): string {
  if (text.length === 0) return 'an empty cell';
  return text.length <= MAX_SHOWN ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, MAX_SHOWN))}...`;
}

/** Number of bytes of the UTF-8 byte order mark at the start of `bytes` (3 or 0). */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Character code of the delimiter of a CSV file judged from its first line (quoted parts ignored): a comma when the
 * line has one, else a semicolon or a tab (whichever occurs more; a semicolon on a tie), else a comma.
 */
export function detectDelimiter(bytes: Uint8Array): number {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = bomLength(bytes); i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (b === LF || b === CR) break;
    else if (b === COMMA) commas++;
    else if (b === SEMICOLON) semicolons++;
    else if (b === TAB) tabs++;
  }
  if (commas > 0) return COMMA;
  if (semicolons > 0 || tabs > 0) return semicolons >= tabs ? SEMICOLON : TAB;
  return COMMA;
}

/** A CSV input being read: its name, bytes, delimiter and header, and the errors that point into it. */
export class CsvSource {
  /** The header fields, once read. */
  header: readonly string[] = [];

  /**
   * @param file name of the input in messages.
   * @param bytes the whole input, UTF-8.
   * @param delimiter character code of the field delimiter.
   */
  constructor(
    readonly file: string,
    readonly bytes: Uint8Array,
    readonly delimiter: number,
  ) {}

  /** 1-based physical line holding byte `offset`: 1 plus the line breaks (LF, CRLF or a lone CR) before it. */
  lineAt(offset: number): number {
    const b = this.bytes;
    const end = Math.min(offset, b.length);
    let line = 1;
    for (let i = 0; i < end; i++) {
      const c = b[i];
      if (c === LF || (c === CR && b[i + 1] !== LF)) line++;
    }
    return line;
  }

  /** Offset where the next record starts, given the offset where the previous one ended: blank lines skipped. */
  recordStart(previousEnd: number): number {
    const b = this.bytes;
    let i = previousEnd;
    while (i < b.length && (b[i] === LF || b[i] === CR)) i++;
    return i;
  }

  /**
   * Offset of the first byte of field `field` (0-based) of the record starting at `recordStart`, following the
   * quoting rules (a quoted field may hold delimiters, doubled quotes and line breaks).
   */
  fieldStart(recordStart: number, field: number): number {
    const b = this.bytes;
    let i = recordStart;
    for (let f = 0; f < field && i < b.length; f++) {
      if (b[i] === QUOTE) i = this.closingQuote(i) + 1;
      while (i < b.length && b[i] !== this.delimiter && b[i] !== LF && b[i] !== CR) i++;
      i++;
    }
    return Math.min(i, b.length);
  }

  /** Offset of the quote closing the quoted field that opens at `openingQuote`, or the input length if none does. */
  closingQuote(openingQuote: number): number {
    const b = this.bytes;
    let i = openingQuote + 1;
    while (i < b.length) {
      if (b[i] === QUOTE) {
        if (b[i + 1] !== QUOTE) return i;
        i += 2;
      } else i++;
    }
    return b.length;
  }

  /** The error for one cell: field `field` (0-based) of the record starting at `recordStart`. */
  cellError(recordStart: number, field: number, expected: string, found: string, advice?: string): CsvFormatError {
    const line = this.lineAt(this.fieldStart(recordStart, field));
    return this.errorAt(line, field, expected, found, advice);
  }

  /** The error for a cell whose line is known: field `field` (0-based) on physical line `line`. */
  errorAt(line: number, field: number, expected: string, found: string, advice?: string): CsvFormatError {
    const columnName = this.header[field];
    return new CsvFormatError(
      {
        file: this.file,
        line,
        column: field + 1,
        ...(columnName === undefined ? {} : { columnName }),
        expected,
        found,
      },
      advice,
    );
  }

  /** The error for a whole record (no single cell at fault) starting at `recordStart`. */
  rowError(recordStart: number, expected: string, found: string, advice?: string): CsvFormatError {
    return new CsvFormatError({ file: this.file, line: this.lineAt(recordStart), expected, found }, advice);
  }
}
