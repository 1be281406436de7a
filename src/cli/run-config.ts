/**
 * The pipeline file of `pfopt run CONFIG` (YAML or JSON): universe and source, dates, estimators, strategies with
 * their constraints, backtest settings and report options. Every key is checked; a bad key or value is one error
 * naming the key path and, for a choice, the allowed values. Defaults are those of `pfopt demo`.
 */

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { REBALANCE_FREQUENCIES } from '../backtest/schedule.js';
import { ValidationError } from '../core/errors.js';
import { SOURCE_NAMES } from '../data/providers/registry.js';
import { RETURNS_MODELS, RISK_MODELS } from '../estimate/models.js';
import { LINKAGE_METHODS } from '../optimize/hierarchical/linkage.js';
import { DEFAULT_SETTINGS, PIPELINE_METHODS, type PipelineSettings, type StrategySpec } from '../report/pipeline.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

const universeSchema = z.strictObject({
  /** A CSV path (relative to the configuration file) or `sample:NAME`. Either this or `source` with `tickers`. */
  prices: z.string().min(1).optional(),
  /** A market-data provider to fetch `tickers` from, through the local cache. */
  source: z.enum(SOURCE_NAMES).optional(),
  /** With `prices`: the tickers to keep; with `source`: the tickers to fetch. */
  tickers: z.array(z.string().min(1)).min(2).optional(),
  /**
   * The benchmark: a CSV path or `sample:NAME` (one price column), a ticker of the prices (then left out of the
   * universe), or with `source` a ticker to fetch.
   */
  benchmark: z.string().min(1).optional(),
});

const strategySchema = z.strictObject({
  /** Name in the report; default the method's name. */
  name: z.string().min(1).optional(),
  method: z.enum(PIPELINE_METHODS),
  /** Bounds of every weight [lo, hi] (mean-variance methods and hrp). */
  bounds: z.tuple([z.number(), z.number()]).optional(),
  linkage: z.enum(LINKAGE_METHODS as [string, ...string[]]).optional(),
});

/** The schema of a pipeline file. */
export const runConfigSchema = z.strictObject({
  title: z.string().min(1).optional(),
  universe: universeSchema,
  dates: z.strictObject({ start: isoDate.optional(), end: isoDate.optional() }).optional(),
  estimators: z
    .strictObject({
      returns: z.enum(RETURNS_MODELS).optional(),
      risk: z.enum(RISK_MODELS).optional(),
      riskFree: z.number().min(-0.5).max(1).optional(),
    })
    .optional(),
  strategies: z.array(strategySchema).min(1).optional(),
  frontier: z
    .strictObject({
      points: z.number().int().min(2).max(500).optional(),
      randomPortfolios: z.number().int().min(0).max(20000).optional(),
      seed: z.number().int().min(0).optional(),
    })
    .optional(),
  risk: z
    .strictObject({
      confidence: z.number().gt(0.5).lt(1).optional(),
      bins: z.number().int().min(5).max(200).optional(),
    })
    .optional(),
  backtest: z
    .strictObject({
      lookback: z.number().int().min(2).optional(),
      rebalance: z.enum(REBALANCE_FREQUENCIES).optional(),
      window: z.enum(['rolling', 'expanding']).optional(),
      costBps: z.number().min(0).max(1000).optional(),
      slippageBps: z.number().min(0).max(1000).optional(),
      rollingWindow: z.number().int().min(2).optional(),
    })
    .optional(),
  report: z
    .strictObject({
      /** Output folder, relative to the configuration file; default ./pfopt-report/ in the working directory. */
      out: z.string().min(1).optional(),
      logScale: z.boolean().optional(),
      png: z.boolean().optional(),
      /** The strategy of the weights-over-time, monthly-returns and histogram charts; default the best backtest Sharpe. */
      featured: z.string().min(1).optional(),
    })
    .optional(),
});

/** A validated pipeline file. */
export type RunConfig = z.infer<typeof runConfigSchema>;

/** The allowed keys of each object, for error messages. */
const KEYS: Record<string, string> = {
  '': Object.keys(runConfigSchema.shape).join(', '),
  universe: Object.keys(universeSchema.shape).join(', '),
  strategies: Object.keys(strategySchema.shape).join(', '),
};

/** Reads and validates a pipeline file (JSON when it ends in .json, else YAML). */
export function readRunConfig(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read the pipeline file ${path}: ${(error as Error).message}`);
  }
  return parseRunConfig(text, path);
}

/** Validates pipeline text; `path` decides JSON or YAML and names the file in errors. */
export function parseRunConfig(text: string, path: string): RunConfig {
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ValidationError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const result = runConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw new ValidationError(`${path}: ${describeIssue(result.error.issues[0])}`);
  const config = result.data;
  const u = config.universe;
  if ((u.prices === undefined) === (u.source === undefined)) {
    throw new ValidationError(
      `${path}: key "universe" needs either "prices" (a file or sample) or "source" with "tickers"`,
    );
  }
  if (u.source !== undefined && u.tickers === undefined) {
    throw new ValidationError(
      `${path}: key "universe.tickers" is required with "universe.source" (the tickers to fetch)`,
    );
  }
  const names = (config.strategies ?? []).map((s) => s.name ?? s.method);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new ValidationError(
      `${path}: key "strategies": two strategies are named ${JSON.stringify(twice)}; give each a "name"`,
    );
  }
  if (
    config.report?.featured !== undefined &&
    config.strategies !== undefined &&
    !names.includes(config.report.featured)
  ) {
    throw new ValidationError(
      `${path}: key "report.featured" must be one of ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  for (const [k, s] of (config.strategies ?? []).entries()) {
    if (s.bounds !== undefined && s.bounds[0] > s.bounds[1]) {
      throw new ValidationError(
        `${path}: key "strategies.${k}.bounds": the lower bound ${s.bounds[0]} is above the upper ${s.bounds[1]}`,
      );
    }
  }
  return config;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid pipeline';
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.filter((p) => typeof p === 'string').join('.');
    const allowed = KEYS[where] ?? KEYS[String(issue.path[0] ?? '')];
    return `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${where ? ` in "${where}"` : ''}${allowed ? `; the allowed keys are ${allowed}` : ''}`;
  }
  if (issue.path.length === 0) return `the pipeline must be an object with the keys ${KEYS['']}; ${issue.message}`;
  if (issue.code === 'invalid_value') {
    return `key "${key}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `key "${key}" is required`;
  return `key "${key}": ${issue.message}`;
}

/** The pipeline settings of a validated file (defaults from `pfopt demo`). */
export function pipelineSettings(config: RunConfig): PipelineSettings {
  const d = DEFAULT_SETTINGS;
  const strategies: StrategySpec[] | undefined = config.strategies?.map((s) => ({
    name: s.name ?? s.method,
    method: s.method,
    ...(s.bounds === undefined ? {} : { bounds: s.bounds }),
    ...(s.linkage === undefined ? {} : { linkage: s.linkage as StrategySpec['linkage'] & string }),
  }));
  return {
    riskFreeRate: config.estimators?.riskFree ?? d.riskFreeRate,
    returnsModel: config.estimators?.returns ?? d.returnsModel,
    riskModel: config.estimators?.risk ?? d.riskModel,
    strategies: strategies ?? d.strategies,
    frontier: { ...d.frontier, ...config.frontier },
    risk: { ...d.risk, ...config.risk },
    backtest: { ...d.backtest, ...config.backtest },
    report: {
      title: config.title ?? 'pfopt report',
      logScale: config.report?.logScale ?? d.report.logScale,
      ...(config.report?.featured === undefined ? {} : { featured: config.report.featured }),
    },
  };
}
