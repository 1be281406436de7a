/**
 * Where the cache lives: the platform's per-user cache directory, or the directory named by `PFOPT_CACHE_DIR`.
 */

import os from 'node:os';
import path from 'node:path';
import { CacheError } from '../../core/errors.js';

/** Name of the environment variable that overrides the cache directory. */
export const CACHE_DIR_ENV = 'PFOPT_CACHE_DIR';

/** File name of the cache database inside the cache directory. */
export const CACHE_FILE_NAME = 'pfopt-cache.sqlite';

/**
 * The cache directory for this user:
 * - `PFOPT_CACHE_DIR` when it is set and not empty (a relative value is resolved against the working directory);
 * - Linux and other Unix systems: `$XDG_CACHE_HOME/pfopt` when XDG_CACHE_HOME is an absolute path (the XDG base
 *   directory specification says to ignore a relative one), else `~/.cache/pfopt`;
 * - macOS: `~/Library/Caches/pfopt`;
 * - Windows: `%LOCALAPPDATA%\pfopt\Cache`, else `<home>\AppData\Local\pfopt\Cache`.
 *
 * Paths are built with the path rules of `platform` (backslashes for Windows), so the function can be tested for
 * every platform on any machine. Nothing is created here; opening the cache creates the directory. Throws a
 * CacheError when no home directory is known and no variable names a place.
 */
export function resolveCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env[CACHE_DIR_ENV];
  if (override !== undefined && override.trim() !== '') return p.resolve(override);

  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    if (local !== undefined && local.trim() !== '' && p.isAbsolute(local)) return p.join(local, 'pfopt', 'Cache');
    return p.join(requireHome(home), 'AppData', 'Local', 'pfopt', 'Cache');
  }
  if (platform === 'darwin') return p.join(requireHome(home), 'Library', 'Caches', 'pfopt');
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && p.isAbsolute(xdg)) return p.join(xdg, 'pfopt');
  return p.join(requireHome(home), '.cache', 'pfopt');
}

function requireHome(home: string): string {
  if (home.trim() === '') {
    throw new CacheError(
      `Cannot find a cache directory: the home directory is unknown. Set ${CACHE_DIR_ENV} to a writable directory.`,
    );
  }
  return home;
}

/** Path of the cache database file in the cache directory `dir`. */
export function cacheFilePath(dir: string): string {
  return path.join(dir, CACHE_FILE_NAME);
}
