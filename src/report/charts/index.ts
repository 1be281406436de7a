/**
 * Charts: one theme (theme.ts), one builder per chart from plain data, and headless rendering to SVG and PNG
 * (render.ts).
 */

export { type AllocationData, allocationChart } from './allocation.js';
export { type ContributionData, contributionsChart } from './contributions.js';
export { type CorrelationData, correlationChart } from './correlation.js';
export {
  type DendrogramData,
  type DendrogramLayout,
  type DendrogramSegment,
  dendrogramChart,
  dendrogramLayout,
} from './dendrogram.js';
export { type EquityChartOptions, equityChart } from './equity.js';
export { type FrontierChartData, frontierChart, type RiskReturn } from './frontier.js';
export { type HistogramData, histogramChart } from './histogram.js';
export { type MonthlyReturn, monthlyReturnsChart } from './monthly.js';
export {
  compileChart,
  compileChartWithWarnings,
  renderChartSvg,
  svgToPng,
  type VegaSpec,
  vegaToSvg,
} from './render.js';
export { type RiskReturnData, riskReturnChart } from './risk-return.js';
export { type RollingPoint, rollingChart } from './rolling.js';
export { type StressEpisodeResult, stressChart } from './stress.js';
export { CHART_HEIGHT, CHART_WIDTH, PALETTE, seriesColors, themeConfig } from './theme.js';
export { type DatedSeries, drawnSeries, longRows } from './time-series.js';
export type { ChartSpec, VegaLiteSpec } from './types.js';
export { underwaterChart } from './underwater.js';
export { type WeightsOverTimeData, weightsOverTimeChart } from './weights-over-time.js';
