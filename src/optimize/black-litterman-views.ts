/**
 * Black-Litterman views: the JSON document that states them, its validation, and the view matrices P and Q.
 *
 * The document (returns are annual fractions, in the units of the prior: 0.10 is 10% a year):
 *
 *     {
 *       "views": [
 *         { "AAPL": 0.10 },                                      absolute: E[r_AAPL] = 0.10
 *         { "long": "AAPL", "short": "MSFT", "return": 0.02 }    relative: E[r_AAPL] - E[r_MSFT] = 0.02
 *       ],
 *       "confidences": [0.6, 0.3]                                optional: Idzorek confidences, one per view
 *     }
 *
 * or just the list of views (`[{"AAPL": 0.10}, ...]`, no confidences). An absolute view is an object with exactly one
 * member, a ticker whose value is a number; a relative view has exactly the members "long" and "short" (two different
 * tickers) and "return" (a number). A view whose "long" is a string, or with several members among which "long",
 * "short" or "return", is read as a relative view (so an absolute view on a ticker named "long" still works).
 * Confidences are Idzorek's (2005) percentages as fractions in (0, 1]: 1 is certainty (the posterior meets the view
 * exactly), 0.5 moves the posterior half way from the prior towards that; a view held with no confidence says nothing
 * and is refused (remove it instead). Every problem is a ValidationError naming the entry (`views[2]`,
 * `confidences[0]`).
 */

import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

/** E[r_asset] = return (annual fraction). */
export interface AbsoluteView {
  readonly kind: 'absolute';
  readonly asset: string;
  readonly return: number;
}

/** E[r_long] - E[r_short] = return (annual fraction). */
export interface RelativeView {
  readonly kind: 'relative';
  readonly long: string;
  readonly short: string;
  readonly return: number;
}

/** One view. */
export type BlackLittermanView = AbsoluteView | RelativeView;

/** The views of a Black-Litterman model, with Idzorek confidences when the document gives them. */
export interface BlackLittermanViews {
  readonly views: readonly BlackLittermanView[];
  /** One confidence in (0, 1] per view, in view order; absent when the document has none. */
  readonly confidences?: readonly number[];
}

/** The view matrices: `P` (k x n, row-major) picks the assets of each view, `Q` (k) holds the view returns. */
export interface ViewMatrices {
  /** k x n row-major: +1 on the asset of an absolute view; +1 on `long` and -1 on `short` of a relative view. */
  readonly P: Float64Array;
  /** The view returns, annual fractions. */
  readonly Q: Float64Array;
  readonly k: number;
  readonly n: number;
}

const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

const documentSchema = z.union([
  z.array(z.unknown()),
  z.strictObject({ views: z.array(z.unknown()), confidences: z.array(z.unknown()).optional() }),
]);

const relativeSchema = z.strictObject({
  long: z.string().min(1, 'must be a non-empty ticker'),
  short: z.string().min(1, 'must be a non-empty ticker'),
  return: finiteNumber,
});

const RELATIVE_KEYS = ['long', 'short', 'return'] as const;

/**
 * Parses and validates a views document (the value of `JSON.parse` of the views file) into views and optional
 * confidences. `source` names the document in messages (e.g. the file path). When `tickers` is given, every ticker a
 * view names must be one of them. Throws ValidationError naming the bad entry and what is expected.
 */
export function parseViews(document: unknown, source = 'the views', tickers?: readonly string[]): BlackLittermanViews {
  const top = documentSchema.safeParse(document);
  if (!top.success) {
    throw new ValidationError(
      `${source}: expected {"views": [...], "confidences": [...]} or a list of views, each {"TICKER": return} or ` +
        `{"long": "TICKER", "short": "TICKER", "return": r}${describeTop(document)}`,
    );
  }
  const rawViews = Array.isArray(top.data) ? top.data : top.data.views;
  const rawConfidences = Array.isArray(top.data) ? undefined : top.data.confidences;
  const views = rawViews.map((v, i) => parseView(v, `${source}: views[${i}]`));
  let confidences: number[] | undefined;
  if (rawConfidences !== undefined) {
    if (rawConfidences.length !== views.length) {
      throw new ValidationError(
        `${source}: "confidences" has ${rawConfidences.length} value${rawConfidences.length === 1 ? '' : 's'} for ` +
          `${views.length} view${views.length === 1 ? '' : 's'}; give one confidence per view, in view order`,
      );
    }
    confidences = rawConfidences.map((c, i) => {
      if (typeof c !== 'number' || !Number.isFinite(c) || !(c > 0) || c > 1) {
        throw new ValidationError(
          `${source}: confidences[${i}] is ${JSON.stringify(c)}; a confidence is a fraction above 0 and at most 1 ` +
            '(1 is certain, 0.5 moves the posterior half way to the view; remove a view you have no confidence in)',
        );
      }
      return c;
    });
  }
  const parsed: BlackLittermanViews = confidences === undefined ? { views } : { views, confidences };
  if (tickers !== undefined) checkViewTickers(parsed, tickers, source);
  return parsed;
}

function describeTop(document: unknown): string {
  if (document === null || typeof document !== 'object') return `, found ${JSON.stringify(document) ?? 'nothing'}`;
  if (Array.isArray(document)) return '';
  const keys = Object.keys(document);
  const unknown = keys.filter((k) => k !== 'views' && k !== 'confidences');
  if (!keys.includes('views')) return ' (the member "views" is missing)';
  if (unknown.length > 0) return ` (unknown member ${unknown.map((k) => JSON.stringify(k)).join(', ')})`;
  return ' ("views" and "confidences" must be lists)';
}

function parseView(raw: unknown, where: string): BlackLittermanView {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(
      `${where} is ${JSON.stringify(raw)}; a view is {"TICKER": return} or {"long": "TICKER", "short": "TICKER", "return": r}`,
    );
  }
  const obj = raw as Record<string, unknown>;
  const keys = Object.keys(obj);
  const relative = typeof obj.long === 'string' || (keys.length > 1 && keys.some((k) => isRelativeKey(k)));
  if (relative) {
    const parsed = relativeSchema.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const member = issue?.path[0];
      const detail =
        issue?.code === 'unrecognized_keys'
          ? `unknown member ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : member === undefined
            ? (issue?.message ?? 'invalid')
            : obj[String(member)] === undefined
              ? `the member "${String(member)}" is missing`
              : `"${String(member)}" ${issue?.message ?? 'is invalid'} (found ${JSON.stringify(obj[String(member)])})`;
      throw new ValidationError(
        `${where}: ${detail}; a relative view is {"long": "TICKER", "short": "TICKER", "return": r}`,
      );
    }
    if (parsed.data.long === parsed.data.short) {
      throw new ValidationError(
        `${where}: "long" and "short" are both ${JSON.stringify(parsed.data.long)}; a relative view compares two ` +
          'different assets',
      );
    }
    return { kind: 'relative', long: parsed.data.long, short: parsed.data.short, return: parsed.data.return };
  }
  if (keys.length !== 1) {
    throw new ValidationError(
      `${where} has ${keys.length} members (${keys.map((k) => JSON.stringify(k)).join(', ') || 'none'}); an absolute ` +
        'view names exactly one ticker, {"TICKER": return}: write one view per ticker',
    );
  }
  const asset = keys[0] as string;
  const value = obj[asset];
  if (asset.length === 0) throw new ValidationError(`${where}: the ticker name is empty`);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(
      `${where}: the return of ${JSON.stringify(asset)} is ${JSON.stringify(value)}; it must be a finite number ` +
        '(annual, e.g. 0.10 for 10%)',
    );
  }
  return { kind: 'absolute', asset, return: value };
}

function isRelativeKey(k: string): boolean {
  return (RELATIVE_KEYS as readonly string[]).includes(k);
}

/** Throws ValidationError naming the first view that names a ticker outside `tickers`. */
export function checkViewTickers(views: BlackLittermanViews, tickers: readonly string[], source = 'the views'): void {
  const known = new Set(tickers);
  views.views.forEach((v, i) => {
    const names = v.kind === 'absolute' ? [v.asset] : [v.long, v.short];
    for (const t of names) {
      if (!known.has(t)) {
        const shown = tickers.slice(0, 20).join(', ') + (tickers.length > 20 ? ', ...' : '');
        throw new ValidationError(
          `${source}: views[${i}] names ${JSON.stringify(t)}, which is not among the assets (${shown})`,
        );
      }
    }
  });
}

/**
 * The view matrices of `views` over `tickers`: row k of P is e_a for an absolute view on asset a, e_l - e_s for a
 * relative view long l, short s; Q_k is the view's return. Throws ValidationError for a ticker outside `tickers`.
 */
export function viewMatrices(
  views: BlackLittermanViews,
  tickers: readonly string[],
  source = 'the views',
): ViewMatrices {
  checkViewTickers(views, tickers, source);
  const index = new Map(tickers.map((t, i) => [t, i]));
  const n = tickers.length;
  const k = views.views.length;
  const P = new Float64Array(k * n);
  const Q = new Float64Array(k);
  views.views.forEach((v, r) => {
    if (v.kind === 'absolute') {
      P[r * n + (index.get(v.asset) as number)] = 1;
    } else {
      P[r * n + (index.get(v.long) as number)] = 1;
      P[r * n + (index.get(v.short) as number)] = -1;
    }
    Q[r] = v.return;
  });
  return { P, Q, k, n };
}
