import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../src/data/cache/index.js';

describe('redact', () => {
  it('removes API keys from query strings, whatever the parameter spelling', () => {
    expect(redact('https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=DEMO123')).toBe(
      `https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=${REDACTED}`,
    );
    expect(redact('https://data.nasdaq.com/api/v3/datasets/X/Y/data.json?api_key=k3y&start_date=2020-01-01')).toBe(
      `https://data.nasdaq.com/api/v3/datasets/X/Y/data.json?api_key=${REDACTED}&start_date=2020-01-01`,
    );
    expect(redact('https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/a/b?adjusted=true&apiKey=PolyKey9')).toBe(
      `https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/a/b?adjusted=true&apiKey=${REDACTED}`,
    );
    expect(redact('GET /x?token=t0k&access_token=at0k&APIKEY=UP&key=k#frag')).toBe(
      `GET /x?token=${REDACTED}&access_token=${REDACTED}&APIKEY=${REDACTED}&key=${REDACTED}#frag`,
    );
  });

  it('removes keys written as assignments, JSON members, headers and percent-encoded parameters', () => {
    expect(redact('failed (apikey = abc, retrying)')).toBe(`failed (apikey = ${REDACTED}, retrying)`);
    expect(redact('{"api_key":"abc","symbol":"IBM"}')).toBe(`{"api_key":"${REDACTED}","symbol":"IBM"}`);
    expect(redact("{ token: 'abc' }")).toBe(`{ token: '${REDACTED}' }`);
    expect(redact('X-Api-Key: abc\nAccept: json')).toBe(`X-Api-Key: ${REDACTED}\nAccept: json`);
    expect(redact('next=https%3A%2F%2Fx%3Fapikey%3Dsecret%26a%3D1')).toBe(
      `next=https%3A%2F%2Fx%3Fapikey%3D${REDACTED}%26a%3D1`,
    );
  });

  it('removes Authorization header values and keeps the scheme', () => {
    expect(redact('Authorization: Token 0123abcd')).toBe(`Authorization: Token ${REDACTED}`);
    expect(redact('headers {"Authorization":"Bearer eyJhbGci.x.y"}')).toBe(
      `headers {"Authorization":"Bearer ${REDACTED}"}`,
    );
    expect(redact('authorization=Basic dXNlcjpwYXNz;')).toBe(`authorization=Basic ${REDACTED};`);
    expect(redact('Authorization: rawsecret')).toBe(`Authorization: ${REDACTED}`);
  });

  it('removes passwords from URLs and any listed secret wherever it appears', () => {
    expect(redact('proxy http://bob:hunter2@proxy.local:8080 down')).toBe(
      `proxy http://${REDACTED}@proxy.local:8080 down`,
    );
    expect(redact('the key SECRET-XYZ was rejected; SECRET-XYZ again', ['SECRET-XYZ'])).toBe(
      `the key ${REDACTED} was rejected; ${REDACTED} again`,
    );
    expect(redact('abc stays', ['abc'])).toBe('abc stays'); // too short to be a key; replacing it would mangle text
  });

  it('leaves ordinary provider messages alone', () => {
    for (const message of [
      'No data found, symbol may be delisted',
      'Edge: Too Many Requests',
      "Error: Ticker 'XYZ' not found",
      'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day.',
      'GET https://query1.finance.yahoo.com/v8/finance/chart/AAPL?period1=1&period2=2&interval=1d -> 404',
      'HTTP 429, Retry-After: 30',
    ]) {
      expect(redact(message)).toBe(message);
    }
  });
});
