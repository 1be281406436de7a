import { isoDate } from '../core/dates.js';
import type { SectorMap } from '../data/keyed-files.js';
import {
  type EpisodeReplay,
  type FactorShock,
  type HorizonDistribution,
  type ReverseStress,
  type ScenarioResult,
  type SeriesReplay,
  stressBars,
} from '../risk/stress/index.js';
import { renderTable } from './table.js';
import type { Colors } from './terminal.js';

/** Rows shown per asset table for people; `--json` has every asset. */
const MAX_TABLE_ROWS = 20;

/** Everything `pfopt stress` computed, for its outputs. */
export interface StressResult {
  readonly replays: readonly EpisodeReplay[];
  readonly factor?: {
    readonly shock: FactorShock;
    readonly start: number;
    readonly end: number;
    readonly periods: number;
  };
  readonly scenarios: readonly { readonly result: ScenarioResult; readonly source: string }[];
  /** Undefined when the loss was not asked for and the portfolio has no variance. */
  readonly reverse: ReverseStress | undefined;
  readonly distribution: HorizonDistribution;
}

// ------------------------------------------------------------------------------------------------------------ JSON
function day(d: number | null): string | null {
  return d === null ? null : isoDate(d);
}

function replayJson(r: SeriesReplay) {
  return {
    status: r.status,
    from: day(r.from),
    to: day(r.to),
    periods: r.periods,
    return: r.totalReturn,
    buyAndHoldReturn: r.buyAndHoldReturn,
    maxDrawdown: r.maxDrawdown,
    maxDrawdownPeak: day(r.maxDrawdownPeak),
    maxDrawdownTrough: day(r.maxDrawdownTrough),
    worstPeriod: r.worstPeriod,
    worstPeriodDate: day(r.worstPeriodDate),
    missing: r.missing,
    weights: r.status === 'covered' && r.missing.length > 0 ? r.weights : null,
  };
}

/** The JSON document of `pfopt stress --json` (described in its --help). */
export function stressJson(r: StressResult) {
  const f = r.factor;
  const rev = r.reverse;
  const d = r.distribution;
  return {
    episodes: r.replays.map((e) => ({
      id: e.episode.id,
      name: e.episode.name,
      start: e.episode.start,
      end: e.episode.end,
      description: e.episode.description,
      portfolio: replayJson(e.portfolio),
      benchmark: e.benchmark === undefined ? null : replayJson(e.benchmark),
    })),
    bars: stressBars(r.replays),
    factor:
      f === undefined
        ? null
        : {
            marketShock: f.shock.marketMove,
            horizon: f.shock.horizon,
            confidence: f.shock.confidence,
            z: f.shock.z,
            beta: f.shock.beta,
            move: f.shock.move,
            residualVolatility: f.shock.residualVolatility,
            lower: f.shock.lower,
            upper: f.shock.upper,
            estimation: { start: isoDate(f.start), end: isoDate(f.end), periods: f.periods },
            assets: Object.fromEntries(
              f.shock.assets.map((a) => [
                a.ticker,
                {
                  weight: a.weight,
                  beta: a.beta,
                  move: a.move,
                  contribution: a.contribution,
                  residualVolatility: a.residualVolatility,
                  lower: a.lower,
                  upper: a.upper,
                },
              ]),
            ),
          },
    scenarios: r.scenarios.map(({ result: s, source }) => ({
      name: s.name,
      description: s.description ?? null,
      source,
      propagate: s.propagate,
      market: s.market,
      horizon: s.horizon,
      pnl: s.pnl,
      band: s.band,
      conditionedOn: s.conditionedOn,
      estimation:
        s.estimation === null
          ? null
          : { start: isoDate(s.estimation.start), end: isoDate(s.estimation.end), periods: s.estimation.periods },
      assets: Object.fromEntries(
        s.assets.map((a) => [
          a.ticker,
          {
            weight: a.weight,
            move: a.move,
            origin: a.origin,
            contribution: a.contribution,
            lower: a.lower,
            upper: a.upper,
          },
        ]),
      ),
      sectors: s.sectors ?? null,
    })),
    reverse:
      rev === undefined
        ? null
        : {
            loss: rev.loss,
            horizon: rev.horizon,
            volatility: rev.volatility,
            mahalanobisDistance: rev.mahalanobisDistance,
            probability: rev.probability,
            moves: Object.fromEntries(rev.tickers.map((t, i) => [t, rev.moves[i] as number])),
            movesInSigmas: Object.fromEntries(rev.tickers.map((t, i) => [t, rev.movesInSigmas[i] as number])),
          },
    distribution: {
      model: d.model,
      horizon: d.horizon,
      paths: d.paths,
      seed: Number(d.seed),
      degreesOfFreedom: d.degreesOfFreedom ?? null,
      mean: d.mean,
      percentiles: Object.fromEntries(d.percentiles.map((x) => [`p${x.percentile}`, x.value])),
      lossProbabilities: d.lossProbabilities,
    },
  };
}

// ----------------------------------------------------------------------------------------------------------- human
const UNDEFINED = 'undefined';

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : UNDEFINED;
}

function fixed(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : UNDEFINED;
}

/** The unit of one period, for the "worst ..." column. */
function periodName(periodsPerYear: number): string {
  if (periodsPerYear >= 250) return 'day';
  if (periodsPerYear === 52) return 'week';
  if (periodsPerYear === 12) return 'month';
  if (periodsPerYear === 4) return 'quarter';
  if (periodsPerYear === 1) return 'year';
  return 'period';
}

const STATUS_TEXT: Record<Exclude<SeriesReplay['status'], 'covered'>, string> = {
  'too-short': 'shorter than a period',
  partial: 'partly in the data',
  outside: 'not in the data',
  'assets-missing': 'assets missing',
};

/** Return, max drawdown and worst period (with its period) of a replay; the status when it was not replayed. */
function replayCells(r: SeriesReplay | undefined, periodsPerYear: number): string[] {
  if (r === undefined) return ['-', '-', '-'];
  if (r.status !== 'covered') return [STATUS_TEXT[r.status], '-', '-'];
  return [
    pct(r.totalReturn),
    pct(r.maxDrawdown),
    `${pct(r.worstPeriod)} ${periodLabel(r.worstPeriodDate as number, periodsPerYear)}`,
  ];
}

/**
 * A period of the data for people: the month (YYYY-MM) of monthly data, the quarter (YYYY-Qn) of quarterly data and
 * the year of annual data, whose observations are the closes of those periods; otherwise the ISO date.
 */
function periodLabel(date: number, periodsPerYear: number): string {
  const iso = isoDate(date);
  if (periodsPerYear === 12) return iso.slice(0, 7);
  if (periodsPerYear === 4) return `${iso.slice(0, 4)}-Q${Math.ceil(Number(iso.slice(5, 7)) / 3)}`;
  if (periodsPerYear === 1) return iso.slice(0, 4);
  return iso;
}

/** What the tables need beyond the results. */
export interface FormatContext {
  readonly benchmark: string | undefined;
  readonly periodsPerYear: number;
  readonly sectors: SectorMap | undefined;
  readonly colors: Colors;
}

/** The tables for people. */
export function formatStress(r: StressResult, f: FormatContext): string {
  const c = f.colors;
  const unit = periodName(f.periodsPerYear);
  const out: string[] = [
    c.bold(`Historical episodes${f.benchmark === undefined ? '' : ` (benchmark ${f.benchmark})`}`),
  ];
  out.push(
    renderTable(
      [
        { header: 'episode' },
        { header: 'dates' },
        { header: 'return', align: 'right' },
        { header: 'max drawdown', align: 'right' },
        { header: `worst ${unit}`, align: 'right' },
        ...(f.benchmark === undefined
          ? []
          : [
              { header: 'benchmark', align: 'right' as const },
              { header: 'bench. max DD', align: 'right' as const },
              { header: `bench. worst ${unit}`, align: 'right' as const },
            ]),
      ],
      r.replays.map((e) => [
        e.episode.name,
        `${e.episode.start} to ${e.episode.end}`,
        ...replayCells(e.portfolio, f.periodsPerYear),
        ...(f.benchmark === undefined ? [] : replayCells(e.benchmark, f.periodsPerYear)),
      ]),
      c,
    ),
  );
  if (f.periodsPerYear === 52 || f.periodsPerYear === 12 || f.periodsPerYear === 4 || f.periodsPerYear === 1) {
    out.push(
      `  each episode runs from the last ${unit}-end close at or before its start to the first at or after its end ` +
        '(--json gives the dates)',
    );
  }
  const missing = r.replays.filter((e) => e.portfolio.missing.length > 0);
  for (const e of missing) {
    const verb = e.portfolio.status === 'covered' ? 'left out (weights rescaled)' : 'without prices';
    out.push(`  ${e.episode.name}: ${e.portfolio.missing.join(', ')} ${verb}`);
  }
  if (r.factor !== undefined) {
    const s = r.factor.shock;
    out.push(
      '',
      c.bold(
        `Market shock ${pct(s.marketMove)} over ${s.horizon} period${s.horizon === 1 ? '' : 's'}: beta ` +
          `${fixed(s.beta)}, portfolio ${pct(s.move)} (${+(100 * s.confidence).toFixed(6)}% band ${pct(s.lower)} ` +
          `to ${pct(s.upper)})`,
      ),
      assetTable(
        [
          { header: 'beta', align: 'right' },
          { header: 'move', align: 'right' },
          { header: 'band', align: 'right' },
        ],
        s.assets.map((a) => ({
          ticker: a.ticker,
          weight: a.weight,
          contribution: a.contribution,
          cells: [fixed(a.beta), pct(a.move), `${pct(a.lower)} to ${pct(a.upper)}`],
        })),
        c,
      ),
    );
  }
  for (const { result: s } of r.scenarios) {
    const band =
      s.band === null
        ? ''
        : ` (${+(100 * s.confidence).toFixed(6)}% band ${pct(s.band.lower)} to ${pct(s.band.upper)})`;
    out.push(
      '',
      c.bold(`Scenario "${s.name}": portfolio ${pct(s.pnl)}${band}`),
      ...(s.description === undefined ? [] : [s.description]),
      assetTable(
        [{ header: 'move', align: 'right' }, { header: 'from' }],
        s.assets.map((a) => ({
          ticker: a.ticker,
          weight: a.weight,
          contribution: a.contribution,
          cells: [pct(a.move), a.origin],
        })),
        c,
      ),
    );
    if (s.sectors !== undefined) {
      out.push(
        renderTable(
          [{ header: 'sector' }, { header: 'weight', align: 'right' }, { header: 'P&L', align: 'right' }],
          Object.entries(s.sectors).map(([name, x]) => [name, pct(x.weight), pct(x.pnl)]),
          c,
        ),
      );
    }
  }
  const rev = r.reverse;
  if (rev !== undefined) {
    out.push(
      '',
      c.bold(
        `Reverse stress test: a loss of ${pct(rev.loss)} over ${rev.horizon} period${rev.horizon === 1 ? '' : 's'}`,
      ),
      `Mahalanobis distance ${fixed(rev.mahalanobisDistance)} (portfolio volatility ${pct(rev.volatility)} over the ` +
        `horizon); probability of a loss at least this large under a normal model: ${rev.probability.toPrecision(3)}`,
      assetTable(
        [
          { header: 'move', align: 'right' },
          { header: 'sigmas', align: 'right' },
        ],
        rev.tickers.map((t, i) => ({
          ticker: t,
          weight: rev.weights[i] as number,
          contribution: (rev.weights[i] as number) * (rev.moves[i] as number),
          cells: [pct(rev.moves[i] as number), fixed(rev.movesInSigmas[i] as number, 2)],
        })),
        c,
      ),
    );
  }
  const d = r.distribution;
  const nu = d.degreesOfFreedom === undefined ? '' : `, ${fixed(d.degreesOfFreedom, 2)} degrees of freedom`;
  out.push(
    '',
    c.bold(
      `Value of 1 invested after ${d.horizon} period${d.horizon === 1 ? '' : 's'} (${d.model}${nu}, ${d.paths} paths, ` +
        `seed ${d.seed}); mean ${fixed(d.mean, 4)}`,
    ),
    renderTable(
      [{ header: 'percentile' }, { header: 'value', align: 'right' }],
      d.percentiles.map((x) => [`${x.percentile}%`, fixed(x.value, 4)]),
      c,
    ),
    renderTable(
      [{ header: 'loss beyond' }, { header: 'probability', align: 'right' }],
      d.lossProbabilities.map((x) => [pct(x.threshold), pct(x.probability)]),
      c,
    ),
  );
  return out.join('\n');
}

/**
 * A per-asset table (ticker, weight, the given columns, contribution), the largest contributions in absolute value
 * first when there are more than `MAX_TABLE_ROWS` assets (the rest summarised in one line).
 */
function assetTable(
  columns: readonly { header: string; align?: 'left' | 'right' }[],
  rows: readonly { ticker: string; weight: number; contribution: number; cells: string[] }[],
  c: Colors,
): string {
  let shown = [...rows];
  let rest = '';
  if (rows.length > MAX_TABLE_ROWS) {
    shown = shown.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, MAX_TABLE_ROWS);
    rest = `\n... and ${rows.length - MAX_TABLE_ROWS} more assets with smaller contributions (--json lists all)`;
  }
  return (
    renderTable(
      [
        { header: 'ticker' },
        { header: 'weight', align: 'right' },
        ...columns,
        { header: 'contribution', align: 'right' },
      ],
      shown.map((x) => [x.ticker, pct(x.weight), ...x.cells, pct(x.contribution)]),
      c,
    ) + rest
  );
}
