/**
 * Test setup (vitest `setupFiles`, and imported by child-process fixtures): the global fetch refuses every URL that
 * is not on 127.0.0.1, so no test can reach the internet, whatever a provider's default base URL is.
 */

const realFetch = globalThis.fetch;

/** True for URLs on the loopback address the fixture servers listen on. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!isLoopbackUrl(url)) {
    return Promise.reject(new Error(`tests may only send requests to 127.0.0.1, not to ${url.replace(/\?.*$/, '')}`));
  }
  return realFetch(input, init);
};
