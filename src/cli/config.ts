/**
 * The optional configuration file: `pfopt.config.json`, `pfopt.config.yaml` or `pfopt.config.yml` in the working
 * directory, or the file named by `--config FILE` or `PFOPT_CONFIG`. Values in it are defaults that command-line
 * flags override. Every key is checked; an unknown or ill-typed key is an error that names it.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

/** Settings of one market-data provider (API keys are read from the environment only, never from this file). */
const providerSettingsSchema = z.strictObject({
  /** Base URL replacing the public one (a proxy or mirror); the PFOPT_<NAME>_BASE_URL variable takes precedence. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** `csv` provider: directory of the `<SYMBOL>.csv` files (PFOPT_CSV_DIR takes precedence). */
  dir: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
  retries: z.number().int().min(0).max(10).optional(),
  concurrency: z.number().int().positive().optional(),
  minIntervalMs: z.number().int().min(0).optional(),
});

/** The schema of the configuration file. */
export const configSchema = z.strictObject({
  /** Folder of the local data cache (the environment variable PFOPT_CACHE_DIR takes precedence). */
  cacheDir: z.string().min(1).optional(),
  /** Default price source for commands that take `--prices`: a CSV path or `sample:NAME`. */
  prices: z.string().min(1).optional(),
  /** Periods per year of the price data, when it should not be inferred from the dates. */
  frequency: z.number().positive().optional(),
  /** Order of numeric dates in CSV files: auto (decided per file), iso, mdy (US) or dmy (European). */
  dateFormat: z.enum(['auto', 'iso', 'mdy', 'dmy']).optional(),
  /** Extra cell texts that mean "no value" in CSV files (for example "NA"). */
  naValues: z.array(z.string()).optional(),
  /** Default market-data provider of `--source`. */
  source: z.enum(['yahoo', 'alphavantage', 'tiingo', 'fred', 'nasdaq', 'csv', 'stooq']).optional(),
  /** Per-provider settings, for example `{"yahoo": {"baseUrl": "http://127.0.0.1:8080"}}`. */
  providers: z
    .strictObject({
      yahoo: providerSettingsSchema.optional(),
      alphavantage: providerSettingsSchema.optional(),
      tiingo: providerSettingsSchema.optional(),
      fred: providerSettingsSchema.optional(),
      nasdaq: providerSettingsSchema.optional(),
      csv: providerSettingsSchema.optional(),
      stooq: providerSettingsSchema.optional(),
    })
    .optional(),
});

/** The configuration after validation. */
export type PfoptConfig = z.infer<typeof configSchema>;

/** Names of the files looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = ['pfopt.config.json', 'pfopt.config.yaml', 'pfopt.config.yml'] as const;

/**
 * Finds and loads the configuration: the explicit path when given (it must exist), else the first of
 * `CONFIG_FILE_NAMES` present in `cwd`, else an empty configuration. Throws ValidationError naming the file and key.
 */
export function loadConfig(explicitPath: string | undefined, cwd: string): { config: PfoptConfig; path?: string } {
  const path = explicitPath ?? CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((p) => existsSync(p));
  if (path === undefined) return { config: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  return { config: parseConfig(text, path), path };
}

/** Parses and validates configuration text; `path` decides JSON (`.json`) or YAML and names the file in errors. */
export function parseConfig(text: string, path: string): PfoptConfig {
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ValidationError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (raw === null || raw === undefined) return {};
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ValidationError(`${path}: ${describeIssue(result.error.issues[0])}`);
}

const ALLOWED_KEYS = Object.keys(configSchema.shape).join(', ');

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid configuration';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `unknown key ${keys}${issue.path.length ? ` in ${issue.path.join('.')}` : ''}; the allowed keys are ${ALLOWED_KEYS}`;
  }
  if (issue.path.length === 0)
    return `the configuration must be an object of settings (${ALLOWED_KEYS}); ${issue.message}`;
  const key = issue.path.map(String).join('.');
  if (issue.code === 'invalid_value') {
    return `key "${key}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `key "${key}": ${issue.message}`;
}
