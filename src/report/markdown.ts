/** The Markdown summary of a run: the comparison table, the weights, the stress episodes and the manifest. */

import { percent } from './html/format.js';
import type { ReportResults } from './results.js';
import { comparisonTable } from './summary.js';

function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(esc).join(' | ')} |`;
  return [line(headers), line(headers.map((_, j) => (j === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** The summary as Markdown text. */
export function resultsMarkdown(results: ReportResults): string {
  const m = results.manifest;
  const table = comparisonTable(results);
  const tickers = results.universe.tickers;
  const names = [
    ...results.portfolios.map((p) => p.name),
    ...(results.universe.benchmark ? [results.universe.benchmark] : []),
  ];
  const parts = [
    `# ${results.title}`,
    '',
    `${tickers.length} assets (${tickers.join(', ')}), ${m.dateRange.start} to ${m.dateRange.end}` +
      `${results.universe.benchmark ? `, benchmark ${results.universe.benchmark}` : ''}; pfopt ${m.pfoptVersion}, ${m.createdAt}.`,
    '',
    '## Comparison',
    '',
    mdTable(table.headers, table.cells),
    '',
    '## Weights',
    '',
    mdTable(
      ['portfolio', ...tickers],
      results.portfolios.map((p) => [p.name, ...tickers.map((t) => percent(p.weights[t] ?? 0))]),
    ),
  ];
  if (results.stress.length > 0) {
    parts.push(
      '',
      '## Historical stress episodes',
      '',
      mdTable(
        ['episode', 'window', ...names],
        results.stress.map((e) => [
          e.name,
          `${e.from ?? '?'} to ${e.to ?? '?'}`,
          ...names.map((n) => percent(e.returns[n] ?? null)),
        ]),
      ),
    );
  }
  parts.push('', '## Run manifest', '', `- command: \`${m.command}\``);
  for (const s of m.sources)
    parts.push(`- ${s.role} \`${s.name}\`: sha256 \`${s.sha256}\`, ${s.rows} rows, ${s.start} to ${s.end}`);
  parts.push('', '```json', JSON.stringify(m.parameters, null, 2), '```', '');
  return parts.join('\n');
}
