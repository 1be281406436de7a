/**
 * A Yahoo chart endpoint on the fixture server backed by a mutable history per symbol, with per-symbol failure
 * injection, so cache tests can change what "the provider" says between runs.
 */

import { type Session, sessionsInQuery, YAHOO_NOT_FOUND, yahooChart } from './fixtures.js';
import type { Received, Reply } from './server.js';

/** The state behind the endpoint. */
export interface YahooState {
  readonly histories: Map<string, Session[]>;
  /** Replies that replace the normal one for a symbol (for example a 404 after a delisting). */
  readonly overrides: Map<string, Reply>;
}

/** A handler serving `state`: unknown symbols are 404 with Yahoo's body. */
export function yahooHandler(state: YahooState): (request: Received) => Reply {
  return (request) => {
    const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(request.path);
    if (m === null) return { status: 404, body: 'unknown path' };
    const symbol = decodeURIComponent(m[1] as string);
    const override = state.overrides.get(symbol);
    if (override !== undefined) return override;
    const history = state.histories.get(symbol);
    if (history === undefined) return { status: 404, body: YAHOO_NOT_FOUND };
    return { body: yahooChart(symbol, sessionsInQuery(history, request.query)) };
  };
}

/** Requests for `symbol` among `requests`. */
export function requestsFor(requests: readonly Received[], symbol: string): Received[] {
  return requests.filter((r) => r.path === `/v8/finance/chart/${encodeURIComponent(symbol)}`);
}
