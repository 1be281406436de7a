/**
 * Hypothetical shock scenarios: moves given per asset, per sector and for the market, applied to a portfolio.
 *
 * A scenario's moves are fractions over its horizon (-0.3 is a 30% fall). Every asset of the data gets a move:
 * 1. explicit moves: an asset's own shock (`assets`), else its sector's shock (`sectors`, through the sector map);
 *    an asset shock overrides its sector's;
 * 2. every held asset without an explicit move is either
 *    - moved by the market (`market` given, `propagate` false): `x_i = beta_i X`, the factor shock of factor.ts;
 *    - propagated (`propagate` true): the conditional mean given every explicit move and the market move,
 *      `x_U = S_UC S_CC^-1 x_C` (C the explicitly moved assets, held or not, and the market), the expected move of a
 *      zero-mean multivariate normal with the sample covariance S of the per-period returns; with the market alone in
 *      C this is again `beta_i X`;
 *    - unmoved (neither): `x_i = 0`.
 * The portfolio's P&L is `sum_i w_i x_i` (a fraction of the portfolio value; cash, `1 - sum w`, does not move), and
 * asset i's contribution is `w_i x_i`. Moves inferred by a model are linear in the shock: an extreme shock can infer a
 * move below -100% for a volatile asset, reported as computed.
 *
 * Band: the inferred moves are uncertain. Their conditional covariance given C, per period, is the Schur complement
 * `V = S_UU - S_UC S_CC^-1 S_CU` (with the market alone: the residual covariance Omega of factor.ts); over h periods
 * it is `h V`. The two-sided band at confidence c is `P&L +/- z sqrt(h w_U' V w_U)` for the portfolio and
 * `x_i +/- z sqrt(h V_ii)` for an inferred asset move (`z = Phi^-1((1 + c) / 2)`); explicit moves are certain. With
 * nothing inferred (no market move and no propagation, or every held asset moved explicitly) there is no band.
 *
 * Estimation: S is the sample covariance (ddof 1) of the per-period simple returns of the held assets without an
 * explicit move and of C, over the dates on which all of them (and the market, when in C) have a return
 * (sample.ts). Its scale cancels in the conditional mean; the band uses it per period times h.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { choleskySolve, tryCholesky } from '../../core/linalg/cholesky.js';
import { UNASSIGNED_SECTOR } from '../contributions.js';
import { checkHorizon, sampleMoments } from '../monte-carlo.js';
import type { BenchmarkSeries } from '../report.js';
import { bandZ, checkMove } from './factor.js';
import { estimationSample } from './sample.js';
import { heldAssets, type StressWeights } from './weights.js';

/** A hypothetical scenario (moves are fractions over the horizon; see the module comment). */
export interface ShockScenario {
  readonly name: string;
  readonly description?: string;
  /** Ticker to move. */
  readonly assets?: Readonly<Record<string, number>>;
  /** Sector to move of each of its assets (through the sector map). */
  readonly sectors?: Readonly<Record<string, number>>;
  /** The market's move X: assets without an explicit move follow `beta_i X`. */
  readonly market?: number;
  /** Infer the moves of the other held assets from the explicit ones (conditional mean); default false. */
  readonly propagate?: boolean;
  /** Horizon in periods of the data, for the band; default the options' horizon. */
  readonly horizon?: number;
}

/** The portfolio and data a scenario is applied to. */
export interface ScenarioInput {
  /** Per-period simple returns of every asset of the data (held or not), NaN where there is none. */
  readonly returns: DatedMatrix;
  /** Portfolio weights (ticker map or one per column of `returns`). */
  readonly weights: StressWeights;
  /** The market's per-period returns, needed by scenarios with a market move. */
  readonly market?: BenchmarkSeries;
  /** Ticker to sector, needed by scenarios with sector moves. */
  readonly sectors?: Readonly<Record<string, string>>;
}

/** Options of `applyScenario`. */
export interface ScenarioOptions {
  /** Horizon in periods for the bands of scenarios that give none; default 1. */
  readonly horizon?: number;
  /** Confidence of the two-sided bands, in (0, 1); default 0.95. */
  readonly confidence?: number;
}

/** Where an asset's move comes from. */
export type MoveOrigin = 'asset' | 'sector' | 'market' | 'propagated' | 'none';

/** A held asset under a scenario (fractions over the horizon). */
export interface ScenarioAssetMove {
  readonly ticker: string;
  readonly weight: number;
  readonly move: number;
  readonly origin: MoveOrigin;
  /** `w_i x_i`. */
  readonly contribution: number;
  /** Band of an inferred move (`x_i -/+ z sqrt(h V_ii)`); equal to the move when it is explicit or not modelled. */
  readonly lower: number;
  readonly upper: number;
}

/** Sector totals of a scenario. */
export interface ScenarioSector {
  /** Sum of the weights of the sector's held assets. */
  readonly weight: number;
  /** Sum of their contributions `w_i x_i`. */
  readonly pnl: number;
}

/** A scenario applied to a portfolio. */
export interface ScenarioResult {
  readonly name: string;
  readonly description?: string;
  readonly propagate: boolean;
  /** The market move X, or null. */
  readonly market: number | null;
  readonly horizon: number;
  readonly confidence: number;
  /** `sum_i w_i x_i`, a fraction of the portfolio value. */
  readonly pnl: number;
  /** The band of the P&L, or null when no move was inferred by a model. */
  readonly band: { readonly volatility: number; readonly lower: number; readonly upper: number } | null;
  /** The held assets, in the order of the data. */
  readonly assets: readonly ScenarioAssetMove[];
  /** Totals by sector (held assets without a sector under `UNASSIGNED_SECTOR`), when a sector map was given. */
  readonly sectors?: Readonly<Record<string, ScenarioSector>>;
  /** The tickers (and the market's name) the inferred moves are conditioned on; empty when none. */
  readonly conditionedOn: readonly string[];
  /** The estimation dates of the model, or null when no model was needed. */
  readonly estimation: { readonly start: number; readonly end: number; readonly periods: number } | null;
}

/**
 * Applies `scenario` to the portfolio of `input` (see the module comment for every definition). Throws DataError for
 * a ticker or sector the data (or the sector map) do not have, naming the scenario; ValidationError for a move that
 * is not a finite fraction of at least -1, sector moves without a sector map, a market move without market returns,
 * or when the covariance of the conditioning moves is singular (for example two perfectly correlated shocked assets,
 * or more conditioning assets than dates).
 */
export function applyScenario(
  input: ScenarioInput,
  scenario: ShockScenario,
  options: ScenarioOptions = {},
): ScenarioResult {
  const label = `scenario ${JSON.stringify(scenario.name)}`;
  const returns = input.returns;
  const held = heldAssets(returns.tickers, input.weights);
  const horizon = scenario.horizon ?? options.horizon ?? 1;
  checkHorizon(horizon);
  const confidence = options.confidence ?? 0.95;
  const z = bandZ(confidence);
  const explicit = explicitMoves(input, scenario, label);
  const market = scenario.market;
  if (market !== undefined) {
    checkMove(market, `the market move of ${label}`);
    if (input.market === undefined) {
      throw new ValidationError(`${label} moves the market, which needs the market's returns: give a benchmark`);
    }
  }
  const propagate = scenario.propagate === true;
  const inferred = held.tickers.filter((t) => !explicit.has(t));
  const conditioning = propagate ? [...explicit.keys()] : [];
  const useMarket = market !== undefined;
  const modelled = inferred.length > 0 && (conditioning.length > 0 || useMarket);
  const moves = new Map<string, { move: number; origin: MoveOrigin; variance: number }>();
  for (const [t, e] of explicit) moves.set(t, { ...e, variance: 0 });
  let bandVariance = 0;
  let estimation: ScenarioResult['estimation'] = null;
  if (modelled) {
    const m = useMarket ? input.market : undefined;
    const sample = estimationSample(returns, [...inferred, ...conditioning], m);
    const u = inferred.length;
    const k = conditioning.length + (useMarket ? 1 : 0);
    const size = u + k;
    const t = sample.rowCount;
    const x = new Float64Array(t * size);
    x.set(sample.values);
    if (sample.market !== undefined) x.set(sample.market, t * (size - 1));
    const { cov } = sampleMoments(x, t, size);
    const scc = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) scc[a * k + b] = cov[(u + a) * size + u + b] as number;
    const l = tryCholesky(scc, k);
    if (l === undefined) {
      const names = [...conditioning, ...(useMarket ? [input.market?.name ?? 'market'] : [])];
      throw new ValidationError(
        `${label}: the covariance of the conditioning moves (${names.join(', ')}) over ${t} dates is singular, so ` +
          'the other moves are not determined; shock fewer or less dependent assets, or do not propagate',
      );
    }
    const xc = Float64Array.from(conditioning, (c) => explicit.get(c)?.move as number);
    const xcAll = useMarket ? Float64Array.from([...xc, market as number]) : xc;
    const g = choleskySolve(l, k, xcAll); // S_CC^-1 x_C
    const origin: MoveOrigin = propagate ? 'propagated' : 'market';
    const wu = Float64Array.from(inferred, (tk) => held.weights[held.tickers.indexOf(tk)] as number);
    // S_CU w_U and the quadratic forms of the band.
    const scuW = new Float64Array(k);
    for (let i = 0; i < u; i++) {
      const sci = Float64Array.from({ length: k }, (_, a) => cov[(u + a) * size + i] as number);
      let move = 0;
      for (let a = 0; a < k; a++) move += (sci[a] as number) * (g[a] as number);
      const y = choleskySolve(l, k, sci);
      let explained = 0;
      for (let a = 0; a < k; a++) explained += (sci[a] as number) * (y[a] as number);
      const variance = Math.max(0, (cov[i * size + i] as number) - explained);
      moves.set(inferred[i] as string, { move, origin, variance });
      const wi = wu[i] as number;
      for (let a = 0; a < k; a++) scuW[a] = (scuW[a] as number) + (sci[a] as number) * wi;
    }
    let wSw = 0;
    for (let i = 0; i < u; i++) {
      let row = 0;
      for (let j = 0; j < u; j++) row += (cov[i * size + j] as number) * (wu[j] as number);
      wSw += (wu[i] as number) * row;
    }
    const y = choleskySolve(l, k, scuW);
    let explained = 0;
    for (let a = 0; a < k; a++) explained += (scuW[a] as number) * (y[a] as number);
    bandVariance = Math.max(0, wSw - explained);
    estimation = { start: sample.dates[0] as number, end: sample.dates[t - 1] as number, periods: t };
  }
  const assets: ScenarioAssetMove[] = held.tickers.map((ticker, i) => {
    const weight = held.weights[i] as number;
    const m = moves.get(ticker) ?? { move: 0, origin: 'none' as const, variance: 0 };
    const half = z * Math.sqrt(horizon * m.variance);
    return {
      ticker,
      weight,
      move: m.move,
      origin: m.origin,
      contribution: weight * m.move,
      lower: m.move - half,
      upper: m.move + half,
    };
  });
  let pnl = 0;
  for (const a of assets) pnl += a.contribution;
  const volatility = Math.sqrt(horizon * bandVariance);
  const result: ScenarioResult = {
    name: scenario.name,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    propagate,
    market: market ?? null,
    horizon,
    confidence,
    pnl,
    band: modelled ? { volatility, lower: pnl - z * volatility, upper: pnl + z * volatility } : null,
    assets,
    conditionedOn: modelled ? [...conditioning, ...(useMarket ? [input.market?.name ?? 'market'] : [])] : [],
    estimation,
  };
  if (input.sectors === undefined) return result;
  const sectors: Record<string, ScenarioSector> = {};
  for (const a of assets) {
    const s = Object.hasOwn(input.sectors, a.ticker) ? (input.sectors[a.ticker] as string) : UNASSIGNED_SECTOR;
    const prev = sectors[s] ?? { weight: 0, pnl: 0 };
    sectors[s] = { weight: prev.weight + a.weight, pnl: prev.pnl + a.contribution };
  }
  return { ...result, sectors };
}

/** The explicit moves of a scenario by ticker: sector moves first, then asset moves overriding them. */
function explicitMoves(
  input: ScenarioInput,
  scenario: ShockScenario,
  label: string,
): Map<string, { move: number; origin: MoveOrigin }> {
  const returns = input.returns;
  const out = new Map<string, { move: number; origin: MoveOrigin }>();
  const sectorMoves = Object.entries(scenario.sectors ?? {});
  if (sectorMoves.length > 0) {
    const map = input.sectors;
    if (map === undefined) throw new ValidationError(`${label} moves sectors, which needs a sector map (--sectors)`);
    const known = new Set(returns.tickers.filter((t) => Object.hasOwn(map, t)).map((t) => map[t] as string));
    for (const [sector, move] of sectorMoves) {
      checkMove(move, `the move of sector ${JSON.stringify(sector)} in ${label}`);
      if (!known.has(sector)) {
        throw new DataError(
          `${label} moves sector ${JSON.stringify(sector)}, which no asset of the data belongs to; the sectors are ` +
            `${[...known].join(', ') || '(none)'}`,
        );
      }
      for (const t of returns.tickers)
        if (map[t] === sector && Object.hasOwn(map, t)) out.set(t, { move, origin: 'sector' });
    }
  }
  for (const [ticker, move] of Object.entries(scenario.assets ?? {})) {
    checkMove(move, `the move of ${JSON.stringify(ticker)} in ${label}`);
    if (!returns.has(ticker)) {
      throw new DataError(
        `${label} moves ${JSON.stringify(ticker)}, which is not in the data; the data has ` +
          `${returns.tickers.slice(0, 20).join(', ')}${returns.columnCount > 20 ? ', ...' : ''}`,
      );
    }
    out.set(ticker, { move, origin: 'asset' });
  }
  return out;
}
