/**
 * The one chart theme of pfopt: fonts, sizes, colours and axis styles shared by every chart, as a Vega-Lite `config`
 * block. A calm, print-friendly look: white background, light grid, no chart border, a colour-blind-safe categorical
 * palette (Okabe and Ito's eight colours, then Tableau's), a diverging scheme for correlations and returns.
 */

/** Default width and height of a single-panel chart, in CSS pixels (a laptop column of about 760 px). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 300;

/** The font stack of charts and page: system fonts first, DejaVu Sans where the others are missing (Linux, PNG). */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif';

/** Categorical colours, in the order series take them: Okabe-Ito without yellow and black, then Tableau 10. */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#6F4E7C',
  '#8C6D31',
  '#4E79A7',
  '#F28E2B',
  '#59A14F',
  '#E15759',
  '#76B7B2',
  '#B07AA1',
];

/** Colour of the benchmark series in every chart: a neutral dark grey, so that the portfolios stand out. */
export const BENCHMARK_COLOR = '#444444';

/** Colour of background context (the random-portfolio cloud, grid lines). */
export const MUTED_COLOR = '#BBBBBB';

/** Colour of losses (VaR and CVaR lines, negative stress results) and gains. */
export const LOSS_COLOR = '#C0392B';
export const GAIN_COLOR = '#1E8449';

/** The Vega-Lite `config` block every chart is compiled with. */
export function themeConfig(): Record<string, unknown> {
  return {
    background: 'white',
    padding: 8,
    font: FONT,
    view: { stroke: null, continuousWidth: CHART_WIDTH, continuousHeight: CHART_HEIGHT },
    range: { category: [...PALETTE] },
    title: { fontSize: 15, fontWeight: 600, anchor: 'start', color: '#222222', subtitleColor: '#555555', offset: 10 },
    axis: {
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 500,
      titleColor: '#333333',
      labelColor: '#444444',
      gridColor: '#E6E6E6',
      domainColor: '#888888',
      tickColor: '#888888',
    },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, symbolSize: 90, orient: 'right' },
    header: { labelFontSize: 12, titleFontSize: 12 },
    line: { strokeWidth: 1.8 },
    point: { size: 60, filled: true },
    text: { fontSize: 11, color: '#333333' },
    bar: { discreteBandSize: { band: 0.8 } },
    rule: { color: '#666666' },
  };
}

/**
 * A colour scale that gives each named series the same colour in every chart: the names take the palette in order,
 * the benchmark (when among them) takes `BENCHMARK_COLOR`.
 */
export function seriesColors(names: readonly string[], benchmark?: string): { domain: string[]; range: string[] } {
  const range: string[] = [];
  let k = 0;
  for (const name of names) {
    if (name === benchmark) range.push(BENCHMARK_COLOR);
    else range.push(PALETTE[k++ % PALETTE.length] as string);
  }
  return { domain: [...names], range };
}

/** The x encoding of a time axis: dates labelled by year, one tick a year at most (fewer when they crowd). */
export function timeAxis(field = 'date'): Record<string, unknown> {
  return {
    field,
    type: 'temporal',
    title: null,
    axis: { format: '%Y', tickCount: { interval: 'year', step: 1 }, labelOverlap: 'greedy', labelFlush: false },
  };
}
