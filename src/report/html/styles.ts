/** The report's stylesheet: a readable single column on a laptop screen, cards for the headline figures, print rules. */

import { FONT } from '../charts/theme.js';

/** The CSS of the report page. */
export function reportCss(): string {
  return `
:root { --ink: #1f2328; --muted: #5b6470; --line: #e3e6ea; --accent: #0072B2; --bg: #f6f7f9; }
* { box-sizing: border-box; }
html { font-family: ${FONT}; color: var(--ink); background: var(--bg); font-size: 15px; line-height: 1.5; }
body { margin: 0; }
header.top { background: #12263a; color: #fff; padding: 28px 0 22px; }
header.top h1 { margin: 0 0 4px; font-size: 1.7rem; font-weight: 650; letter-spacing: -0.01em; }
header.top p { margin: 0; color: #c9d3de; }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 28px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); }
nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; padding: 10px 0; }
nav.toc a { color: var(--accent); text-decoration: none; font-weight: 500; }
main section { background: #fff; border: 1px solid var(--line); border-radius: 10px; margin: 22px 0; padding: 20px 26px; }
h2 { font-size: 1.3rem; margin: 0 0 6px; }
h3 { font-size: 1.05rem; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 14px 0 18px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fbfcfd; }
.card .label { color: var(--muted); font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 1.45rem; font-weight: 650; }
.card .sub { color: var(--muted); font-size: 0.85rem; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.84rem; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 7px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th.text, td.text { text-align: left; white-space: normal; min-width: 170px; }
th { white-space: normal; vertical-align: bottom; }
thead th { background: #f1f3f5; font-weight: 600; position: sticky; top: 0; }
tr.benchmark td { color: var(--muted); font-style: italic; }
td.neg { color: #b03a2e; }
figure.chart { margin: 22px 0 8px; break-inside: avoid; page-break-inside: avoid; }
figure.chart h3 { margin: 0 0 2px; }
figure.chart figcaption { color: var(--muted); font-size: 0.88rem; margin-bottom: 8px; }
.chart-body { overflow-x: auto; }
.chart-body svg { max-width: 100%; height: auto; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 28px; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.manifest dt { color: var(--muted); }
dl.manifest dd { margin: 0; word-break: break-all; }
pre { background: #f4f5f7; border-radius: 6px; padding: 12px; overflow-x: auto; font-size: 0.8rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
footer { color: var(--muted); font-size: 0.85rem; padding: 10px 0 30px; }
.vega-embed { width: 100%; }
.vega-embed summary { opacity: 0.5; }
@media (max-width: 700px) { .wrap { padding: 0 12px; } main section { padding: 14px; } .grid-2 { grid-template-columns: 1fr; } }
@media print {
  html { background: #fff; font-size: 11pt; }
  header.top { background: #fff; color: #000; padding: 0 0 8pt; border-bottom: 2px solid #000; }
  header.top p { color: #333; }
  nav.toc, .vega-embed details { display: none !important; }
  main section { border: none; padding: 0; margin: 14pt 0; break-before: auto; }
  .wrap { max-width: none; padding: 0; }
  thead th { position: static; }
  .table-scroll, .chart-body { overflow: visible; }
  table { font-size: 8pt; }
  th, td { padding: 3px 4px; white-space: normal; }
  .vega-embed svg, .chart-body svg { max-width: 100%; height: auto; }
  .grid-2 { display: block; }
  a { color: inherit; text-decoration: none; }
}
`;
}
