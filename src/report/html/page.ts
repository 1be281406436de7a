/**
 * The HTML report: one self-contained file that works offline. Summary figures first, then allocation, frontier,
 * risk, stress tests, backtest and the run manifest. Each chart is inlined twice: as a static SVG drawn in Node
 * (what prints, and what shows without JavaScript) and as a compiled Vega spec that the inlined Vega runtime turns
 * into an interactive chart (tooltips, zoom on the equity curve, export menu). No element loads anything from the
 * network: a Content-Security-Policy forbids it, and no `src` or `href` holds a URL.
 */

import type { ReportChart, ReportSection } from '../figures.js';
import type { ReportResults } from '../results.js';
import { comparisonRows, comparisonTable } from '../summary.js';
import { browserScripts } from './assets.js';
import { escapeHtml, fixed, jsonForScript, percent } from './format.js';
import { reportCss } from './styles.js';

/** A chart ready for the page: its spec, compiled Vega and static SVG. */
export interface RenderedChart {
  readonly section: ReportSection;
  readonly chart: ReportChart['chart'];
  readonly vega: Record<string, unknown>;
  readonly svg: string;
}

const SECTIONS: readonly { id: ReportSection | 'summary' | 'manifest'; title: string }[] = [
  { id: 'summary', title: 'Summary' },
  { id: 'allocation', title: 'Allocation' },
  { id: 'frontier', title: 'Efficient frontier' },
  { id: 'risk', title: 'Risk' },
  { id: 'stress', title: 'Stress tests' },
  { id: 'backtest', title: 'Backtest' },
  { id: 'manifest', title: 'Run manifest' },
];

/** The complete HTML document. */
export function reportHtml(results: ReportResults, charts: readonly RenderedChart[]): string {
  const scripts = browserScripts();
  const m = results.manifest;
  const universe = m.sources.find((s) => s.role === 'universe');
  const subtitle = [
    `${results.universe.tickers.length} assets (${results.universe.tickers.join(', ')})`,
    `${m.dateRange.start} to ${m.dateRange.end}`,
    results.universe.benchmark === null ? 'no benchmark' : `benchmark ${results.universe.benchmark}`,
    universe === undefined ? '' : `data ${universe.name}`,
  ]
    .filter((s) => s !== '')
    .join(' · ');
  const specs = Object.fromEntries(charts.map((c) => [c.chart.id, c.vega]));
  const present = new Set(charts.map((c) => c.section));
  const sections = SECTIONS.filter(
    (s) => s.id === 'summary' || s.id === 'manifest' || present.has(s.id as ReportSection),
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<meta name="generator" content="pfopt ${escapeHtml(m.pfoptVersion)}">
<title>${escapeHtml(results.title)}</title>
<style>${reportCss()}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1>${escapeHtml(results.title)}</h1>
<p>${escapeHtml(subtitle)}</p>
<p>Generated ${escapeHtml(m.createdAt)} by pfopt ${escapeHtml(m.pfoptVersion)}</p>
</div></header>
<nav class="toc"><div class="wrap"><ul>
${sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('\n')}
</ul></div></nav>
<main class="wrap">
${summarySection(results)}
${chartSection('allocation', 'Allocation', 'Weights of each portfolio, optimised on the whole sample.', charts, weightsTable(results))}
${chartSection('frontier', 'Efficient frontier', `Expected returns by ${results.estimates.returnsModel}, covariance by ${results.estimates.riskModel}, risk-free rate ${percent(results.riskFreeRate, 2)}.`, charts, '')}
${chartSection('risk', 'Risk', 'Correlation structure, where each portfolio takes its risk, and the distribution of returns.', charts, riskTable(results))}
${chartSection('stress', 'Stress tests', 'Named historical episodes covered by the data, replayed on each portfolio held at its weights (assets without prices in an episode are left out and the others rescaled).', charts, stressTable(results))}
${chartSection('backtest', 'Backtest', backtestLead(results), charts, backtestTable(results))}
${manifestSection(results)}
</main>
<footer class="wrap">pfopt ${escapeHtml(m.pfoptVersion)} · self-contained report: no network needed to view it.</footer>
<script>${scripts.vega}</script>
<script>${scripts.vegaEmbed}</script>
<script type="application/json" id="pfopt-specs">${jsonForScript(specs)}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}

/** The script that swaps each static SVG for the interactive chart (the static one stays if anything fails). */
function pageScript(): string {
  return `
(function () {
  var specs = JSON.parse(document.getElementById('pfopt-specs').textContent);
  window.pfoptCharts = {};
  window.pfoptReady = Promise.all(Object.keys(specs).map(function (id) {
    var body = document.querySelector('#chart-' + id + ' .chart-body');
    if (!body || typeof vegaEmbed !== 'function') return Promise.resolve();
    var host = document.createElement('div');
    return vegaEmbed(host, specs[id], {
      mode: 'vega', renderer: 'svg', ast: true, tooltip: true,
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: id
    }).then(function (result) {
      body.replaceChildren(host);
      window.pfoptCharts[id] = result.view;
    }).catch(function (error) {
      console.warn('chart ' + id + ' stays static: ' + error);
    });
  }));
})();
`;
}

function chartSection(
  id: ReportSection,
  title: string,
  lead: string,
  charts: readonly RenderedChart[],
  extra: string,
): string {
  const mine = charts.filter((c) => c.section === id);
  if (mine.length === 0) return '';
  return `<section id="${id}">
<h2>${escapeHtml(title)}</h2>
<p class="lead">${escapeHtml(lead)}</p>
${mine.map(figure).join('\n')}
${extra}
</section>`;
}

function figure(c: RenderedChart): string {
  const ch = c.chart;
  return `<figure class="chart" id="chart-${ch.id}" data-series-field="${escapeHtml(ch.seriesField)}" data-series="${escapeHtml(JSON.stringify(ch.series))}">
<h3>${escapeHtml(ch.title)}</h3>
<figcaption>${escapeHtml(ch.caption)}</figcaption>
<div class="chart-body">${scopeIds(c.svg, ch.id)}</div>
</figure>`;
}

/** Prefixes the ids of an inline SVG (clip paths, gradients) with the chart id, so several SVGs share a page. */
export function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*>/, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

function summarySection(results: ReportResults): string {
  const rows = comparisonRows(results).filter((r) => !r.isBenchmark);
  const best = (key: 'backtestSharpe' | 'sharpe'): (typeof rows)[number] | undefined =>
    [...rows].filter((r) => r[key] !== null).sort((a, b) => (b[key] as number) - (a[key] as number))[0];
  const bench = comparisonRows(results).find((r) => r.isBenchmark);
  const leastDd = [...rows]
    .filter((r) => r.maxDrawdown !== null)
    .sort((a, b) => (b.maxDrawdown as number) - (a.maxDrawdown as number))[0];
  const bs = best('backtestSharpe');
  const es = best('sharpe');
  const cards = [
    card(
      'Best backtest Sharpe',
      bs ? fixed(bs.backtestSharpe) : '–',
      bs ? `${bs.name}, CAGR ${percent(bs.backtestCagr)}` : '',
    ),
    card('Best ex-ante Sharpe', es ? fixed(es.sharpe) : '–', es ? es.name : ''),
    card('Shallowest drawdown', leastDd ? percent(leastDd.maxDrawdown) : '–', leastDd ? leastDd.name : ''),
    bench
      ? card(`Benchmark ${bench.name}`, percent(bench.backtestCagr), `CAGR; max drawdown ${percent(bench.maxDrawdown)}`)
      : '',
  ].join('');
  const bt = results.backtest;
  const period = bt === null ? '' : ` The backtest runs from ${bt.dates[0]} to ${bt.dates[bt.dates.length - 1]}.`;
  return `<section id="summary">
<h2>Summary</h2>
<p class="lead">${results.portfolios.length} portfolios compared on ${results.universe.tickers.length} assets: ex-ante figures under the estimates, realised figures of the walk-forward backtest after costs, historical value at risk and the worst stress episode.${escapeHtml(period)}</p>
<div class="cards">${cards}</div>
${htmlTable(
  comparisonTable(results),
  comparisonRows(results).map((r) => r.isBenchmark),
)}
</section>`;
}

function card(label: string, value: string, sub: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="sub">${escapeHtml(sub)}</div></div>`;
}

function htmlTable(table: { headers: string[]; cells: string[][] }, benchmarkRows: readonly boolean[] = []): string {
  const isText = (c: string, j: number, last: number): boolean => j === last && j > 0 && /[a-z]{3}/i.test(c);
  const textColumn = table.headers.map((_, j) => table.cells.some((row) => isText(row[j] ?? '', j, row.length - 1)));
  const head = table.headers.map((h, j) => `<th${textColumn[j] ? ' class="text"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = table.cells
    .map((row, i) => {
      const cls = benchmarkRows[i] ? ' class="benchmark"' : '';
      const tds = row
        .map((c, j) => {
          const classes = [isText(c, j, row.length - 1) ? 'text' : '', /^-\d/.test(c) ? 'neg' : '']
            .filter((x) => x !== '')
            .join(' ');
          return `<td${classes ? ` class="${classes}"` : ''}>${escapeHtml(c)}</td>`;
        })
        .join('');
      return `<tr${cls}>${tds}</tr>`;
    })
    .join('\n');
  return `<div class="table-scroll"><table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function weightsTable(results: ReportResults): string {
  const tickers = results.universe.tickers;
  return `<h3>Weights</h3>${htmlTable({
    headers: ['portfolio', ...tickers],
    cells: results.portfolios.map((p) => [p.name, ...tickers.map((t) => percent(p.weights[t] ?? 0))]),
  })}`;
}

function riskTable(results: ReportResults): string {
  const conf = Math.round(100 * (results.portfolios[0]?.historical.confidence ?? 0.95));
  return `<h3>Historical risk at constant weights</h3>${htmlTable({
    headers: ['portfolio', 'from', 'to', 'CAGR', 'volatility', 'max drawdown', `VaR ${conf}%`, `CVaR ${conf}%`],
    cells: results.portfolios.map((p) => [
      p.name,
      p.historical.start ?? '–',
      p.historical.end ?? '–',
      percent(p.historical.cagr),
      percent(p.historical.annualVolatility),
      percent(p.historical.maxDrawdown),
      percent(p.historical.var),
      percent(p.historical.cvar),
    ]),
  })}`;
}

function stressTable(results: ReportResults): string {
  if (results.stress.length === 0) return '<p>No built-in episode falls inside the data.</p>';
  const names = [
    ...results.portfolios.map((p) => p.name),
    ...(results.universe.benchmark ? [results.universe.benchmark] : []),
  ];
  return `<h3>Return over each episode</h3>${htmlTable({
    headers: ['episode', 'window', ...names],
    cells: results.stress.map((e) => [
      e.name,
      `${e.from ?? '?'} to ${e.to ?? '?'}`,
      ...names.map((n) => percent(e.returns[n] ?? null)),
    ]),
  })}`;
}

function backtestLead(results: ReportResults): string {
  const bt = results.backtest;
  if (bt === null) return '';
  const s = bt.settings as {
    lookback?: number;
    rebalance?: string;
    window?: string;
    costBps?: number;
    slippageBps?: number;
  };
  return (
    `Walk-forward: each strategy re-estimated on a ${s.window} window of ${s.lookback} periods, rebalanced ` +
    `${s.rebalance}, ${s.costBps} bps commission and ${s.slippageBps} bps slippage on every trade.`
  );
}

function backtestTable(results: ReportResults): string {
  const bt = results.backtest;
  if (bt === null) return '';
  const rows = [
    ...bt.strategies.map((s) => ({ name: s.name, m: s.metrics, turnover: s.turnover, costs: s.costs, bench: false })),
    ...(bt.benchmark
      ? [{ name: bt.benchmark.name, m: bt.benchmark.metrics, turnover: Number.NaN, costs: Number.NaN, bench: true }]
      : []),
  ];
  return `<h3>Backtest metrics</h3>${htmlTable(
    {
      headers: [
        'strategy',
        'total return',
        'CAGR',
        'volatility',
        'Sharpe',
        'Sortino',
        'max drawdown',
        'beta',
        'tracking error',
        'turnover',
        'costs',
      ],
      cells: rows.map((r) => [
        r.name,
        percent(r.m.totalReturn),
        percent(r.m.cagr),
        percent(r.m.annualVolatility),
        fixed(r.m.sharpe),
        fixed(r.m.sortino),
        percent(r.m.maxDrawdown),
        fixed(r.m.beta),
        percent(r.m.trackingError),
        fixed(r.turnover),
        percent(r.costs, 2),
      ]),
    },
    rows.map((r) => r.bench),
  )}`;
}

function manifestSection(results: ReportResults): string {
  const m = results.manifest;
  const items: [string, string][] = [
    ['pfopt version', m.pfoptVersion],
    ['Node.js', m.nodeVersion],
    ['created', m.createdAt],
    ['command', m.command],
    ['date range', `${m.dateRange.start} to ${m.dateRange.end}`],
    ...(m.seconds === undefined ? [] : ([['computation', `${m.seconds} s`]] as [string, string][])),
  ];
  for (const s of m.sources) {
    items.push([
      `${s.role}: ${s.name}`,
      `sha256 ${s.sha256}; ${s.tickers.join(', ')}; ${s.rows} rows, ${s.start} to ${s.end}`,
    ]);
  }
  const warnings =
    results.warnings.length === 0
      ? ''
      : `<h3>Warnings</h3><ul>${results.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
  return `<section id="manifest">
<h2>Run manifest</h2>
<p class="lead">Everything needed to reproduce this run: the data and their content hashes, the dates, every parameter, the version and the time.</p>
<dl class="manifest">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h3>Parameters</h3>
<pre><code>${escapeHtml(JSON.stringify(m.parameters, null, 2))}</code></pre>
${warnings}
</section>`;
}
