/**
 * Writes a report folder from results: `index.html` (the self-contained report), `results.json` (everything, for
 * `pfopt report --from`), `summary.md`, the CSV files, and `charts/ID.svg` for every chart (plus `charts/ID.png` when
 * asked).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileChart, svgToPng, vegaToSvg } from './charts/render.js';
import { reportCharts } from './figures.js';
import { type RenderedChart, reportHtml } from './html/page.js';
import { resultsMarkdown } from './markdown.js';
import { type ReportResults, resultsToJson } from './results.js';
import { resultCsvFiles } from './tables-csv.js';

/** Options of `writeReport`. */
export interface WriteReportOptions {
  /** Also write a PNG of every chart; default false. */
  readonly png?: boolean;
  /** Write results.json (false when re-rendering from it); default true. */
  readonly json?: boolean;
  /** Called before each chart is drawn. */
  readonly onChart?: (id: string, index: number, total: number) => void;
}

/** What was written. */
export interface WrittenReport {
  readonly html: string;
  readonly files: readonly string[];
  readonly charts: readonly string[];
}

/** Draws every chart of the results (compiled Vega and static SVG). */
export async function renderCharts(
  results: ReportResults,
  onChart?: WriteReportOptions['onChart'],
): Promise<RenderedChart[]> {
  const charts = reportCharts(results);
  const out: RenderedChart[] = [];
  for (const [k, c] of charts.entries()) {
    onChart?.(c.chart.id, k, charts.length);
    const vega = await compileChart(c.chart);
    out.push({ section: c.section, chart: c.chart, vega, svg: await vegaToSvg(vega) });
  }
  return out;
}

/** Writes the report folder `dir` (created when missing) and returns the paths written. */
export async function writeReport(
  results: ReportResults,
  dir: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rendered = await renderCharts(results, options.onChart);
  const files: string[] = [];
  const write = (name: string, content: string | Buffer): void => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push(path);
  };
  for (const c of rendered) {
    write(join('charts', `${c.chart.id}.svg`), c.svg);
    if (options.png) write(join('charts', `${c.chart.id}.png`), await svgToPng(c.svg));
  }
  if (options.json !== false) write('results.json', resultsToJson(results));
  write('summary.md', resultsMarkdown(results));
  for (const [name, text] of Object.entries(resultCsvFiles(results))) write(name, text);
  write('index.html', reportHtml(results, rendered));
  return { html: join(dir, 'index.html'), files, charts: rendered.map((c) => c.chart.id) };
}
