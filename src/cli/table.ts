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
 * are added after padding so they never disturb alignment.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  colors: Colors,
): string {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const pad = (text: string, j: number): string => {
    const w = widths[j] as number;
    return columns[j]?.align === 'right' ? text.padStart(w) : text.padEnd(w);
  };
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => pad(c, j))
      .join('  ')
      .trimEnd();
  const header = colors.bold(line(columns.map((c) => c.header)));
  return [header, ...rows.map(line)].join('\n');
}
