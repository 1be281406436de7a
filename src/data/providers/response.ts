/**
 * Reading response bodies the same way in every adapter: HTML pages and truncated or invalid JSON become
 * SchemaErrors that say what came back, and zod validation failures name the first field that did not match.
 */

import type { z } from 'zod';
import { SchemaError } from './errors.js';
import { bodyExcerpt, type HttpClient, type HttpResponse } from './http.js';

/** True when the body is an HTML page (an error page, a consent wall, a CAPTCHA) rather than data. */
export function isHtml(response: HttpResponse): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.includes('text/html') || /^\s*(<!doctype html|<html|<head|<body)/i.test(response.text);
}

/** The `<title>` of an HTML page, or its first words. */
function htmlTitle(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title !== undefined && title !== ''
    ? title
    : text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 80);
}

/** Throws a SchemaError when the response is an HTML page. */
export function rejectHtml(client: HttpClient, response: HttpResponse, symbol: string | undefined): void {
  if (!isHtml(response)) return;
  const title = client.redact(htmlTitle(response.text));
  throw new SchemaError(
    `${client.provider}: received an HTML page (HTTP ${response.status}${title ? `, "${title}"` : ''}) in place of data` +
      `${symbol === undefined ? '' : ` for ${symbol}`}; the service may be down, blocking automated clients, or the ` +
      'base URL may point at the wrong place',
    {
      provider: client.provider,
      status: response.status,
      providerMessage: title,
      ...(symbol === undefined ? {} : { symbol }),
    },
  );
}

/** Parses a JSON body; HTML or invalid (for example truncated) JSON throws a SchemaError with an excerpt. */
export function parseJson(client: HttpClient, response: HttpResponse, symbol: string | undefined): unknown {
  rejectHtml(client, response, symbol);
  try {
    return JSON.parse(response.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SchemaError(
      `${client.provider}: the response${symbol === undefined ? '' : ` for ${symbol}`} is not valid JSON ` +
        `(${reason}; ${response.text.length} bytes, possibly truncated): ${client.redact(bodyExcerpt(response.text, [], 120))}`,
      {
        provider: client.provider,
        status: response.status,
        ...(symbol === undefined ? {} : { symbol }),
        providerMessage: client.redact(bodyExcerpt(response.text, [], 120)),
      },
    );
  }
}

/** Validates `value` against `schema`; a mismatch throws a SchemaError naming the field and what was expected. */
export function validate<T>(
  client: HttpClient,
  schema: z.ZodType<T>,
  value: unknown,
  symbol: string | undefined,
  status: number,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'the body' : issue.path.map(String).join('.');
  throw new SchemaError(
    `${client.provider}: unexpected response layout${symbol === undefined ? '' : ` for ${symbol}`} at ${where}: ` +
      `${issue?.message ?? 'invalid'}; the provider may have changed its format`,
    { provider: client.provider, status, ...(symbol === undefined ? {} : { symbol }) },
  );
}
