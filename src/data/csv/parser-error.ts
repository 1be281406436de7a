/**
 * Translation of the errors of the csv-parse tokenizer (quoting mistakes) into CsvFormatError located at the
 * physical line and field where the mistake is, which csv-parse itself miscounts when quoted fields hold CRLF.
 */

import type { CsvError } from 'csv-parse/sync';
import type { CsvFormatError } from '../../core/errors.js';
import type { CsvSource } from './source.js';

const QUOTE_ADVICE = 'A quote inside a quoted field is written twice ("")';

/**
 * The CsvFormatError for a csv-parse error raised while reading the record that starts at byte `recordStart` of
 * `source`: an unclosed quote (located at its opening quote), text after a closing quote (at the closing quote),
 * or a quote inside an unquoted field; any other csv-parse error is reported at the record's first line.
 */
export function parserError(source: CsvSource, error: CsvError, recordStart: number): CsvFormatError {
  const field = typeof error.index === 'number' ? error.index : undefined;
  if (field === undefined) return source.rowError(recordStart, 'well-formed CSV', error.message);
  const start = source.fieldStart(recordStart, field);
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return source.errorAt(
        source.lineAt(start),
        field,
        'a closing quote for the quote that opens this field',
        'the end of the file',
        QUOTE_ADVICE,
      );
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const closing = source.closingQuote(start);
      const after = Buffer.from(source.bytes.subarray(closing + 1, closing + 5)).toString('utf8');
      return source.errorAt(
        source.lineAt(closing),
        field,
        'a delimiter or the end of the line after a closing quote',
        JSON.stringify(String.fromCodePoint(after.codePointAt(0) ?? 0xfffd)),
        QUOTE_ADVICE,
      );
    }
    case 'INVALID_OPENING_QUOTE':
      return source.errorAt(
        source.lineAt(start),
        field,
        'no quote inside an unquoted field',
        `a quote after ${JSON.stringify(typeof error.field === 'string' ? error.field : '')}`,
        'Quote the whole field and write the quote inside it twice ("")',
      );
    default:
      return source.errorAt(source.lineAt(start), field, 'well-formed CSV', error.message);
  }
}
