/**
 * Terminal output: where results, messages and progress go, and whether they are coloured.
 * Results go to stdout (JSON only with `--json`); messages, warnings and progress go to stderr.
 */

import picocolors from 'picocolors';

/** Colour functions (identity functions when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** A stream the CLI writes to: process.stdout/stderr or a test double. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The output side of one CLI run. */
export interface Terminal {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Colours for stdout text. */
  readonly colors: Colors;
  /** Colours for stderr text. */
  readonly errorColors: Colors;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly debug: boolean;
}

/**
 * Colour is on only for a terminal, never with `NO_COLOR` set (to anything non-empty) or `TERM=dumb`;
 * `FORCE_COLOR` (non-empty, not "0") turns it on anyway.
 */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Builds the terminal of a run from its streams, environment and global flags. */
export function createTerminal(
  streams: { stdout: OutputStream; stderr: OutputStream },
  env: NodeJS.ProcessEnv,
  flags: { json: boolean; quiet: boolean; debug: boolean; color: boolean },
): Terminal {
  return {
    ...streams,
    colors: picocolors.createColors(flags.color && colorEnabled(streams.stdout, env)),
    errorColors: picocolors.createColors(flags.color && colorEnabled(streams.stderr, env)),
    ...flags,
  };
}

/** Prints a result: `value` as one JSON document with `--json`, else the human text. */
export function printResult(term: Terminal, value: unknown, human: () => string): void {
  if (term.json) term.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
  else term.stdout.write(ensureNewline(human()));
}

/** Prints an informational message on stderr, unless `--quiet` or `--json`. */
export function printInfo(term: Terminal, message: string): void {
  if (!term.quiet && !term.json) term.stderr.write(ensureNewline(message));
}

/** Prints a warning on stderr unless `--quiet`. */
export function printWarning(term: Terminal, message: string): void {
  if (!term.quiet) term.stderr.write(ensureNewline(`${term.errorColors.yellow('warning:')} ${message}`));
}

/** JSON has no NaN or Infinity: they are written as null. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
