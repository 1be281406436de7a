/**
 * Reports: the whole job as one call (`runPipeline`), its results as one JSON document, the charts (one theme, one
 * builder per chart, headless SVG and PNG), the self-contained HTML report, the Markdown summary and the CSV files,
 * and `writeReport`, which writes them all to a folder.
 */

export * from './charts/index.js';
export { type MonthReturn, monthlyReturns } from './data/monthly.js';
export { type RandomPortfolio, randomPortfolios } from './data/random-portfolios.js';
export { type RollingFigures, rollingFigures } from './data/rolling.js';
export { type ReportChart, type ReportSection, reportCharts } from './figures.js';
export { type RenderedChart, reportHtml } from './html/page.js';
export { resultsMarkdown } from './markdown.js';
export {
  DEFAULT_SETTINGS,
  DEFAULT_STRATEGIES,
  PIPELINE_METHODS,
  type PipelineInput,
  type PipelineMethod,
  type PipelineSettings,
  runPipeline,
  type StrategySpec,
} from './pipeline.js';
export {
  type PortfolioRecord,
  parseResults,
  RESULTS_SCHEMA,
  type ReportResults,
  type RunManifest,
  resultsToJson,
  type SourceRecord,
  type StrategyRecord,
  type StressRecord,
} from './results.js';
export { type ComparisonRow, comparisonRows, comparisonTable } from './summary.js';
export { resultCsvFiles } from './tables-csv.js';
export { renderCharts, type WriteReportOptions, type WrittenReport, writeReport } from './write.js';
