/** Stress-test results: each portfolio's and the benchmark's return over each historical episode the data cover. */

import { seriesColors } from './theme.js';
import type { ChartSpec } from './types.js';

/** One replayed episode. */
export interface StressEpisodeResult {
  readonly id: string;
  readonly name: string;
  /** ISO dates of the window replayed. */
  readonly from: string | null;
  readonly to: string | null;
  /** Return over the episode by series name (portfolios and benchmark); NaN or null when not replayed. */
  readonly returns: Readonly<Record<string, number | null>>;
}

/** Grouped bars, episodes down, one bar per series; series are the names with a replayed episode. */
export function stressChart(
  episodes: readonly StressEpisodeResult[],
  names: readonly string[],
  benchmark?: string,
): ChartSpec {
  const rows = episodes.flatMap((e) =>
    names
      .map((series) => ({
        episode: `${e.name}${e.from && e.to ? ` (${e.from.slice(0, 7)} to ${e.to.slice(0, 7)})` : ''}`,
        series,
        value: e.returns[series] ?? null,
      }))
      .filter((r): r is { episode: string; series: string; value: number } => Number.isFinite(r.value)),
  );
  const drawn = names.filter((n) => rows.some((r) => r.series === n));
  const episodeOrder = [...new Set(rows.map((r) => r.episode))];
  return {
    id: 'stress',
    title: 'Historical stress tests',
    caption:
      'Return over each named historical episode the data cover, each portfolio held at its weights (rebalanced ' +
      'every period) beside the benchmark.',
    seriesField: 'series',
    series: drawn,
    spec: {
      data: { values: rows },
      width: 560,
      height: Math.max(120, episodeOrder.length * (12 * drawn.length + 18)),
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'episode', type: 'nominal', title: null, sort: episodeOrder, axis: { labelLimit: 260 } },
            yOffset: { field: 'series', type: 'nominal', sort: drawn },
            x: { field: 'value', type: 'quantitative', title: 'return over the episode', axis: { format: '.0%' } },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: seriesColors(drawn, benchmark),
              sort: drawn,
            },
            tooltip: [
              { field: 'episode', type: 'nominal' },
              { field: 'series', type: 'nominal' },
              { field: 'value', type: 'quantitative', title: 'return', format: '.2%' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#666666' }, encoding: { x: { datum: 0 } } },
      ],
    },
  };
}
