import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, RateLimitedError } from '../../../src/data/providers/errors.js';
import { backoffDelay, HttpClient, parseRetryAfter } from '../../../src/data/providers/http.js';
import { RequestLimiter, realClock } from '../../../src/data/providers/limiter.js';
import { fakeClock } from './fixtures.js';
import { type FixtureServer, startServer } from './server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function client(clock = fakeClock(), extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({
    provider: 'test',
    clock,
    random: () => 0.5,
    baseDelayMs: 100,
    secrets: ['SEKRETKEY123'],
    ...extra,
  });
}

describe('retries and backoff', () => {
  it('retries a 500 with growing jittered delays, then succeeds', async () => {
    let n = 0;
    server.handler = () => (++n <= 3 ? { status: 500, body: 'oops' } : { body: { ok: true } });
    const clock = fakeClock();
    const response = await client(clock).get(`${server.baseUrl}/x`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ok: true });
    // Equal jitter at random 0.5: 0.75 * 100 * 2^attempt.
    expect(clock.sleeps).toEqual([75, 150, 300]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    let n = 0;
    server.handler = () =>
      ++n === 1 ? { status: 429, headers: { 'retry-after': '7' }, body: 'Edge: Too Many Requests' } : { body: [] };
    const clock = fakeClock();
    await client(clock).get(`${server.baseUrl}/x`);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('backs off on a 429 without Retry-After and gives up with RateLimitedError', async () => {
    server.handler = () => ({ status: 429, body: 'Edge: Too Many Requests' });
    const clock = fakeClock();
    const error = await client(clock, { retries: 2 })
      .get(`${server.baseUrl}/x`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).providerMessage).toBe('Edge: Too Many Requests');
    expect(clock.sleeps).toEqual([75, 150]);
  });

  it('fails at once when Retry-After asks for longer than allowed', async () => {
    server.handler = () => ({ status: 429, headers: { 'retry-after': '3600' }, body: 'slow down' });
    const clock = fakeClock();
    const error = (await client(clock)
      .get(`${server.baseUrl}/x`)
      .catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry a 404 and returns it to the adapter', async () => {
    const before = server.requests.length;
    server.handler = () => ({ status: 404, body: { detail: 'nope' } });
    const response = await client().get(`${server.baseUrl}/x`);
    expect(response.status).toBe(404);
    expect(server.requests.length - before).toBe(1);
  });

  it('times out a slow response and retries it, then reports the timeout', async () => {
    server.handler = () => ({ delayMs: 1500, body: { late: true } });
    const clock = fakeClock();
    const error = (await client(clock, { timeoutMs: 100, retries: 1 })
      .get(`${server.baseUrl}/slow`)
      .catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(/timeout/);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('retries network errors (connection refused) and never shows the key', async () => {
    const clock = fakeClock();
    const error = (await client(clock, { retries: 1 })
      .get('http://127.0.0.1:1/query?apikey=SEKRETKEY123')
      .catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(/network error/);
    expect(error.message).not.toContain('SEKRETKEY123');
    expect(error.message).toContain('[REDACTED]');
    expect(JSON.stringify(error)).not.toContain('SEKRETKEY123');
    expect(String(error.stack)).not.toContain('SEKRETKEY123');
  });

  it('removes the key from a 5xx body that echoes the request', async () => {
    server.handler = (req) => ({ status: 503, body: `upstream failed for ${req.url}` });
    const error = (await client(fakeClock(), { retries: 0 })
      .get(`${server.baseUrl}/query?function=X&apikey=SEKRETKEY123`)
      .catch((e: unknown) => e)) as ProviderError;
    expect(error.status).toBe(503);
    expect(error.message).not.toContain('SEKRETKEY123');
    expect(error.providerMessage).not.toContain('SEKRETKEY123');
  });
});

describe('helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('draws backoff delays in [d/2, d) with d doubling up to the cap', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 1000, () => 0.999)).toBeCloseTo(799.6, 6);
    expect(backoffDelay(10, 100, 1000, () => 0)).toBe(500);
  });

  it('keeps at most `concurrency` tasks in flight and spaces their starts', async () => {
    const clock = realClock;
    const limiter = new RequestLimiter({ concurrency: 2, minIntervalMs: 10, clock });
    let active = 0;
    let peak = 0;
    const starts: number[] = [];
    const task = async () => {
      starts.push(clock.now());
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
    };
    await Promise.all([1, 2, 3, 4, 5].map(() => limiter.run(task)));
    expect(peak).toBe(2);
    for (let i = 1; i < starts.length; i++)
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(9);
  });
});
