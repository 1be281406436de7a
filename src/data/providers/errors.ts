/**
 * Typed failures of market-data providers. Each carries the provider's name, the symbol when there is one, the HTTP
 * status when there was a response, and the provider's own message (already stripped of credentials), so a caller
 * can tell "this symbol does not exist" from "slow down" from "the key is wrong" from "the response changed shape".
 */

import { PfoptError } from '../../core/errors.js';

/** Where a provider failure happened. */
export interface ProviderErrorDetails {
  /** Provider name, for example `yahoo`. */
  readonly provider: string;
  /** The symbol or series asked for, when the request was about one. */
  readonly symbol?: string;
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** The provider's own message (redacted), when it gave one. */
  readonly providerMessage?: string;
  readonly cause?: unknown;
}

/**
 * A provider failed to deliver data (exit code 5): a server error, a network failure or timeout after the retries,
 * or a response that says something went wrong. The subclasses name the common cases.
 */
export class ProviderError extends PfoptError {
  override readonly exitCode: number = 5;
  readonly provider: string;
  readonly symbol: string | undefined;
  readonly status: number | undefined;
  readonly providerMessage: string | undefined;
  constructor(message: string, details: ProviderErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.provider = details.provider;
    this.symbol = details.symbol;
    this.status = details.status;
    this.providerMessage = details.providerMessage;
  }
}

/** The provider does not know the symbol or series (unknown, misspelt or delisted). */
export class NotFoundError extends ProviderError {}

/** The provider refused because of its rate limit or quota; `retryAfterMs` is its suggested wait, when it gave one. */
export class RateLimitedError extends ProviderError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: ProviderErrorDetails & { readonly retryAfterMs?: number }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The API key is missing, wrong or not entitled to the data (exit code 2: a configuration problem). */
export class AuthError extends ProviderError {
  override readonly exitCode: number = 2;
}

/** The response is not the data the adapter expects: truncated JSON, an HTML page, or a changed layout. */
export class SchemaError extends ProviderError {}
