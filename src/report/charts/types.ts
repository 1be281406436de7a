/**
 * What a chart builder returns: a Vega-Lite specification (data inlined) with its identity and the series it must
 * draw, so that tests and the report can check that every series drew marks.
 */

/** A Vega-Lite specification as plain JSON (checked by the Vega-Lite compiler when rendered). */
export type VegaLiteSpec = Record<string, unknown>;

/** A chart of the report. */
export interface ChartSpec {
  /** Identifier, unique in a report: the HTML element id (`chart-ID`) and the file name (`ID.svg`). */
  readonly id: string;
  /** Heading shown above the chart. */
  readonly title: string;
  /** One or two sentences on how to read the chart. */
  readonly caption: string;
  /** The data field whose values name the series. */
  readonly seriesField: string;
  /** Every series the chart draws (values of `seriesField`); each must produce at least one data mark. */
  readonly series: readonly string[];
  /** The specification, data inlined, without the theme (added when compiled). */
  readonly spec: VegaLiteSpec;
}

/** A finite number or null (JSON has no NaN): what the chart data hold where a value is undefined. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
