/** Long-format rows of several dated series, the shape of the line charts (equity curve, underwater, rolling). */

/** Several series on shared dates. */
export interface DatedSeries {
  /** ISO dates. */
  readonly dates: readonly string[];
  /** Values by series name, one per date (NaN or null where the series has none). */
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
}

/** One row per date and series with a finite value: `{date, series, value}`. */
export function longRows(data: DatedSeries): { date: string; series: string; value: number }[] {
  const rows: { date: string; series: string; value: number }[] = [];
  for (const s of data.series) {
    data.dates.forEach((date, t) => {
      const v = s.values[t];
      if (typeof v === 'number' && Number.isFinite(v)) rows.push({ date, series: s.name, value: v });
    });
  }
  return rows;
}

/** Names of the series with at least one finite value. */
export function drawnSeries(data: DatedSeries): string[] {
  return data.series
    .filter((s) => s.values.some((v) => typeof v === 'number' && Number.isFinite(v)))
    .map((s) => s.name);
}
