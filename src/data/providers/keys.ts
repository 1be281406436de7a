/**
 * API keys: where each provider's key comes from, and the error when it is missing.
 */

import { AuthError } from './errors.js';

/** Environment variables holding each provider's API key. */
export const API_KEY_ENV = {
  alphavantage: 'ALPHAVANTAGE_API_KEY',
  tiingo: 'TIINGO_API_KEY',
  nasdaq: 'NASDAQ_DATA_LINK_API_KEY',
} as const;

/** Returns the key, or throws an AuthError naming the environment variable to set. */
export function requireKey(provider: string, key: string | undefined, envName: string): string {
  if (key === undefined || key.trim() === '') {
    throw new AuthError(`${provider}: no API key; set ${envName} (free keys are available from the provider)`, {
      provider,
    });
  }
  return key.trim();
}
