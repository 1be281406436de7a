/**
 * A local HTTP server on 127.0.0.1 (port 0) that replays provider responses for the tests. Each test installs a
 * handler; the server records every request (method, path with query, headers) so tests can assert what was sent,
 * and how often.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the handler answers. `body` objects are sent as JSON; `delayMs` waits before the headers; `truncate` sends
 * only that many bytes of the body and then closes the connection. */
export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly delayMs?: number;
}

/** A request as received. */
export interface Received {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
}

export type Handler = (request: Received) => Reply | Promise<Reply>;

/** A running fixture server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly requests: Received[];
  handler: Handler;
  close(): Promise<void>;
}

/** Starts a server; the default handler answers 500 so a test that forgot to set one fails loudly. */
export async function startServer(handler?: Handler): Promise<FixtureServer> {
  const requests: Received[] = [];
  const state: { handler: Handler } = {
    handler: handler ?? (() => ({ status: 500, body: 'no handler installed' })),
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const parsed = new URL(url, 'http://127.0.0.1');
    const received: Received = {
      method: req.method ?? 'GET',
      url,
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
    };
    requests.push(received);
    Promise.resolve(state.handler(received))
      .then(async (reply) => {
        if (reply.delayMs !== undefined) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        const body = reply.body ?? '';
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const type = typeof body === 'string' ? 'text/plain' : 'application/json';
        res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers });
        res.end(text);
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h: Handler) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
