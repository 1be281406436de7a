/**
 * User-defined stress scenarios as JSON, validated with zod; every error names the file, the scenario (number and
 * name) and the key at fault. The file is read by the caller (the command line); this module only parses text.
 *
 * Format: `{"scenarios": [SCENARIO, ...]}` or the bare array `[SCENARIO, ...]`, where each SCENARIO is an object with
 * - `name` (required, non-empty, unique in the file) and optionally `description` (text);
 * - at least one move: `assets` `{"TICKER": move, ...}`, `sectors` `{"SECTOR": move, ...}` and/or `market` (number);
 *   moves are fractions over the horizon of at least -1 (-0.25 is a 25% fall);
 * - optionally `propagate` (boolean, default false: unshocked assets move 0, or by beta times the market move) and
 *   `horizon` (whole number of periods of the data, for the band; default the command's horizon).
 * Any other key is an error. See shocks.ts for what a scenario does.
 */

import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { ShockScenario } from './shocks.js';

const move = z
  .number()
  .refine(Number.isFinite, 'must be a finite number')
  .refine((x) => x >= -1, {
    message: 'must be at least -1 (a fall of 100%)',
  });
const moves = z.record(z.string().min(1, 'a ticker or sector name is empty'), move);

const SCENARIO_KEYS = ['name', 'description', 'assets', 'sectors', 'market', 'propagate', 'horizon'] as const;

const scenarioSchema = z
  .strictObject({
    name: z.string().refine((s) => s.trim() !== '', 'must not be empty'),
    description: z.string().optional(),
    assets: moves.optional(),
    sectors: moves.optional(),
    market: move.optional(),
    propagate: z.boolean().optional(),
    horizon: z
      .number()
      .refine((h) => Number.isSafeInteger(h) && h >= 1, 'must be a whole number of periods of at least 1')
      .optional(),
  })
  .refine(
    (s) => s.market !== undefined || Object.keys(s.assets ?? {}).length > 0 || Object.keys(s.sectors ?? {}).length > 0,
    { message: 'has no move: give at least one of "assets", "sectors" or "market"' },
  );

const fileSchema = z.strictObject({
  scenarios: z.array(scenarioSchema).min(1, 'must hold at least one scenario'),
});

/**
 * Parses the text of a scenario file (`source` names it in messages; see the module comment for the format). Throws
 * ValidationError for invalid JSON, a bad entry (naming the scenario by number and name, and the key), or two
 * scenarios with the same name.
 */
export function parseScenarioText(text: string, source: string): ShockScenario[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenarios(raw, source);
}

/** Validates already parsed JSON as a scenario file (see `parseScenarioText`). */
export function parseScenarios(raw: unknown, source: string): ShockScenario[] {
  const doc = Array.isArray(raw) ? { scenarios: raw } : raw;
  const result = fileSchema.safeParse(doc);
  if (!result.success) {
    // An unknown top-level key (a misspelt "scenarios") explains the missing "scenarios" better than its absence.
    const issues = result.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ?? issues[0];
    throw new ValidationError(`${source}: ${describeIssue(issue, doc)}`);
  }
  const seen = new Map<string, number>();
  const out: ShockScenario[] = [];
  result.data.scenarios.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first !== undefined) {
      throw new ValidationError(
        `${source}: scenario ${i + 1} has the name ${JSON.stringify(s.name)} of scenario ${first + 1}; names must be unique`,
      );
    }
    seen.set(s.name, i);
    out.push({
      name: s.name,
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.assets === undefined ? {} : { assets: s.assets }),
      ...(s.sectors === undefined ? {} : { sectors: s.sectors }),
      ...(s.market === undefined ? {} : { market: s.market }),
      ...(s.propagate === undefined ? {} : { propagate: s.propagate }),
      ...(s.horizon === undefined ? {} : { horizon: s.horizon }),
    });
  });
  return out;
}

/** One zod issue as text: where (scenario number and name, key path) and what is wrong. */
function describeIssue(issue: z.core.$ZodIssue | undefined, doc: unknown): string {
  if (issue === undefined) return 'invalid scenario file';
  const path = issue.path;
  if (path.length === 0 || (path.length === 1 && path[0] === 'scenarios' && issue.code !== 'too_small')) {
    if (issue.code === 'unrecognized_keys') {
      return `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; the file holds {"scenarios": [...]}`;
    }
    return 'expected {"scenarios": [{"name": ..., "assets": {...}, "sectors": {...}, "market": ...}, ...]} or an array of scenarios';
  }
  if (path[0] === 'scenarios' && path.length === 1) return '"scenarios" must hold at least one scenario';
  const index = path[1] as number;
  const entry = (doc as { scenarios: unknown[] }).scenarios[index];
  const name =
    typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string'
      ? ` (${JSON.stringify((entry as { name: string }).name)})`
      : '';
  const where = `scenario ${index + 1}${name}`;
  const key = path.slice(2).map(String);
  if (key.length === 0) {
    if (issue.code === 'unrecognized_keys') {
      return (
        `${where}: unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; the keys are ` +
        SCENARIO_KEYS.join(', ')
      );
    }
    if (issue.code === 'invalid_type') return `${where}: expected an object, found ${typeName(entry)}`;
    return `${where} ${issue.message}`;
  }
  if (issue.code === 'invalid_key' || key[key.length - 1] === '') {
    return `${where}: "${key[0]}" has an empty ticker or sector name`;
  }
  const field = key.join('.');
  const value = valueAt(entry, key);
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'record' || issue.expected === 'object' ? 'an object' : `a ${issue.expected}`;
    return `${where}: "${field}" must be ${expected}, found ${typeName(value)}`;
  }
  if (issue.code === 'too_small' && key[0] === 'name') return `${where}: "name" must not be empty`;
  return `${where}: "${field}" ${issue.message}${value === undefined ? '' : `, found ${JSON.stringify(value)}`}`;
}

function valueAt(entry: unknown, key: readonly string[]): unknown {
  let v: unknown = entry;
  for (const k of key) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
