/**
 * Reading one value cell: a plain decimal number, or "no value". The accepted text is deliberately narrow so that a
 * misread file fails loudly instead of turning into wrong numbers.
 */

import { type CsvSource, describeCell } from './source.js';

/**
 * A decimal number: optional sign, digits with an optional fraction (or a fraction alone), optional exponent, and
 * optional spaces or tabs around it. No hex, no `Infinity`/`NaN` words, no thousands separators, no decimal comma.
 */
const NUMBER = /^[ \t]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
const BLANK = /^\s*$/;

/**
 * The value of a cell: its number, NaN when the cell is empty, blank or one of `naValues` (compared after trimming),
 * or undefined when the text is not a number or overflows to an infinite one.
 */
export function parseValueCell(text: string, naValues: ReadonlySet<string>): number | undefined {
  if (text.length === 0) return Number.NaN;
  if (naValues.size > 0 && (naValues.has(text) || naValues.has(text.trim()))) return Number.NaN;
  if (NUMBER.test(text)) {
    const x = Number(text);
    return Number.isFinite(x) ? x : undefined;
  }
  return BLANK.test(text) ? Number.NaN : undefined;
}

/** What to tell the user about a value cell that `parseValueCell` rejected: the expectation and a hint. */
export function explainBadValue(text: string, naValues: ReadonlySet<string>): { expected: string; advice: string } {
  const t = text.trim();
  if (NUMBER.test(t)) {
    return { expected: 'a finite number', advice: 'The number is too large for a 64-bit float' };
  }
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(t)) {
    return { expected: 'a number', advice: 'Write numbers without thousands separators (1234.5, not 1,234.5)' };
  }
  if (/^[+-]?\d*,\d+$/.test(t)) {
    return { expected: 'a number', advice: 'Write decimals with a point (1.5, not 1,5)' };
  }
  const listed = naValues.size === 0 ? 'none are set' : `now ${[...naValues].map((v) => JSON.stringify(v)).join(', ')}`;
  return {
    expected: 'a number',
    advice:
      'Leave the cell empty when there is no value, or list the texts that mean "no value" in the option naValues ' +
      `(--na on the command line; ${listed})`,
  };
}

/**
 * The value of field `field` (0-based) of the record starting at byte `recordStart`, as `parseValueCell` reads it;
 * throws CsvFormatError naming the cell, "a number" versus the text, and how to mark a missing value.
 */
export function readValueCell(
  source: CsvSource,
  text: string,
  recordStart: number,
  field: number,
  naValues: ReadonlySet<string>,
): number {
  const x = parseValueCell(text, naValues);
  if (x !== undefined) return x;
  const { expected, advice } = explainBadValue(text, naValues);
  throw source.cellError(recordStart, field, expected, describeCell(text), advice);
}
