/**
 * The HTTP client every provider uses: a per-request timeout (covering the body too), retries with exponential
 * backoff and jitter on 5xx, 429 and network failures, `Retry-After` honoured, per-provider pacing, and errors whose
 * messages never contain a credential.
 */

import { redact } from '../cache/redact.js';
import { ProviderError, RateLimitedError } from './errors.js';
import { type Clock, RequestLimiter, realClock } from './limiter.js';

/** A response read to the end. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The URL asked for (it may hold a key: redact before showing it). */
  readonly url: string;
}

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Provider name, for messages. */
  readonly provider: string;
  /** Time allowed for one attempt, headers and body, in ms (default 20000). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on 5xx, 429, timeouts and network errors (default 4). */
  readonly retries?: number;
  /** First backoff delay in ms (default 500); it doubles on each retry, with jitter. */
  readonly baseDelayMs?: number;
  /** Longest backoff delay in ms (default 30000). */
  readonly maxDelayMs?: number;
  /** Longest `Retry-After` the client waits for (default 120000); a longer one fails at once with RateLimitedError. */
  readonly maxRetryAfterMs?: number;
  /** Requests in flight at once (default 4) and least time between request starts in ms (default 0). */
  readonly concurrency?: number;
  readonly minIntervalMs?: number;
  /** Secrets to remove from messages besides the usual credential patterns. */
  readonly secrets?: readonly string[];
  /** The fetch function (default: the global fetch). */
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for the jitter (default Math.random). */
  readonly random?: () => number;
}

/** Per-request options. */
export interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** The symbol the request is about, for error details. */
  readonly symbol?: string;
}

/** Statuses worth retrying: rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds (`120`) or an HTTP date, relative to `now`.
 * Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Backoff before retry number `attempt` (0 for the first retry): `d = min(max, base * 2^attempt)`, then a delay
 * drawn uniformly from `[d / 2, d)` ("equal jitter"), so concurrent clients spread out but never retry at once.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const d = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return d / 2 + (random() * d) / 2;
}

/** A short, single-line, redacted excerpt of a response body for messages. */
export function bodyExcerpt(text: string, secrets: readonly string[], max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return redact(cut, secrets);
}

/** An HTTP client bound to one provider's limits. */
export class HttpClient {
  readonly provider: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly secrets: readonly string[];
  private readonly fetchFn: typeof fetch | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly limiter: RequestLimiter;

  constructor(options: HttpClientOptions) {
    this.provider = options.provider;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.retries = options.retries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.secrets = options.secrets ?? [];
    this.fetchFn = options.fetch;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.limiter = new RequestLimiter({
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.minIntervalMs === undefined ? {} : { minIntervalMs: options.minIntervalMs }),
      clock: this.clock,
    });
  }

  /** `text` with credentials removed. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  /**
   * GETs `url` and returns the response, retrying as described above. Any status that is not retried (2xx, 3xx,
   * 4xx but 429) is returned for the adapter to interpret. After the last retry a 429 throws RateLimitedError and a
   * 5xx, timeout or network failure throws ProviderError; the messages hold the redacted URL and body excerpt.
   */
  async get(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const where = this.redact(url);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.limiter.run(() => this.attempt(url, options));
      const last = attempt >= this.retries;
      if ('response' in outcome) {
        const { response } = outcome;
        if (!isRetryableStatus(response.status)) return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
        const excerpt = bodyExcerpt(response.text, this.secrets);
        if (response.status === 429 && (last || (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs))) {
          const wait = retryAfter === undefined ? '' : ` (it asks to wait ${Math.ceil(retryAfter / 1000)} s)`;
          throw new RateLimitedError(
            `${this.provider}: rate limited (HTTP 429) after ${attempt + 1} attempt(s)${wait}: ${excerpt || where}. ` +
              'Wait and try again, or lower the request rate.',
            {
              provider: this.provider,
              status: 429,
              providerMessage: excerpt,
              ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
              ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
            },
          );
        }
        if (last) {
          throw new ProviderError(
            `${this.provider}: HTTP ${response.status} from ${where} after ${attempt + 1} attempt(s): ${excerpt}`,
            {
              provider: this.provider,
              status: response.status,
              providerMessage: excerpt,
              ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
            },
          );
        }
        await this.clock.sleep(retryAfter ?? backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random));
      } else {
        if (last) {
          throw new ProviderError(`${this.provider}: ${outcome.failure} for ${where} after ${attempt + 1} attempt(s)`, {
            provider: this.provider,
            cause: outcome.cause,
            ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
          });
        }
        await this.clock.sleep(backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random));
      }
    }
  }

  /** One attempt: a response read to the end, or a description of the network failure or timeout. */
  private async attempt(
    url: string,
    options: RequestOptions,
  ): Promise<{ response: HttpResponse } | { failure: string; cause: unknown }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const fetchFn = this.fetchFn ?? globalThis.fetch;
      const response = await fetchFn(url, {
        headers: { 'user-agent': 'pfopt', accept: '*/*', ...options.headers },
        signal: controller.signal,
        redirect: 'follow',
      });
      const text = await response.text();
      return { response: { status: response.status, headers: response.headers, text, url } };
    } catch (error) {
      if (controller.signal.aborted) {
        return { failure: `no complete response within ${this.timeoutMs} ms (timeout)`, cause: undefined };
      }
      const reason = error instanceof Error ? describeNetworkError(error) : String(error);
      // The cause may hold the URL with its key: keep only the redacted text.
      return { failure: `network error (${this.redact(reason)})`, cause: undefined };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describeNetworkError(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`;
  }
  return error.message;
}
