/**
 * Aligned text tables for the terminal.
 */

import type { Colors } from './terminal.js';

/** A column of a table: its header and how its cells align. */
export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/**
 * Renders rows under headers with every column padded to its widest cell (numbers usually right-aligned),
 * the header in bold when colours are on, and two spaces between columns. Cells are plain strings; colour codes
 * are added after padding so they never disturb alignment: `style`, when given, colours a cell's text (its padding
 * stays outside the codes) by its row and column index.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  colors: Colors,
  style?: (text: string, row: number, column: number) => string,
): string {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const pad = (text: string, j: number): string => {
    const w = widths[j] as number;
    return columns[j]?.align === 'right' ? text.padStart(w) : text.padEnd(w);
  };
  const styled = (text: string, i: number, j: number): string => {
    const padded = pad(text, j);
    if (style === undefined || i < 0 || text === '') return padded;
    const start = padded.indexOf(text);
    return `${padded.slice(0, start)}${style(text, i, j)}${padded.slice(start + text.length)}`;
  };
  const line = (cells: readonly string[], i: number): string =>
    cells
      .map((c, j) => styled(c, i, j))
      .join('  ')
      .trimEnd();
  const header = colors.bold(
    line(
      columns.map((c) => c.header),
      -1,
    ),
  );
  return [header, ...rows.map((r, i) => line(r, i))].join('\n');
}
