import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheError } from '../../src/core/errors.js';
import { CACHE_FILE_NAME, cacheFilePath, resolveCacheDir } from '../../src/data/cache/index.js';

describe('resolveCacheDir', () => {
  it('uses PFOPT_CACHE_DIR first, on every platform', () => {
    expect(resolveCacheDir({ PFOPT_CACHE_DIR: '/data/pf', XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/ann')).toBe(
      '/data/pf',
    );
    expect(resolveCacheDir({ PFOPT_CACHE_DIR: '/data/pf' }, 'darwin', '/Users/ann')).toBe('/data/pf');
    expect(
      resolveCacheDir({ PFOPT_CACHE_DIR: 'D:\\pf', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\u'),
    ).toBe('D:\\pf');
  });

  it('resolves a relative PFOPT_CACHE_DIR against the working directory and ignores an empty one', () => {
    expect(resolveCacheDir({ PFOPT_CACHE_DIR: 'rel/cache' }, 'linux', '/home/ann')).toBe(
      path.posix.resolve('rel/cache'),
    );
    expect(resolveCacheDir({ PFOPT_CACHE_DIR: '  ' }, 'linux', '/home/ann')).toBe('/home/ann/.cache/pfopt');
  });

  it('follows XDG on Linux and other Unix systems', () => {
    expect(resolveCacheDir({ XDG_CACHE_HOME: '/var/cache/ann' }, 'linux', '/home/ann')).toBe('/var/cache/ann/pfopt');
    expect(resolveCacheDir({}, 'linux', '/home/ann')).toBe('/home/ann/.cache/pfopt');
    expect(resolveCacheDir({ XDG_CACHE_HOME: 'relative/dir' }, 'linux', '/home/ann')).toBe('/home/ann/.cache/pfopt');
    expect(resolveCacheDir({ XDG_CACHE_HOME: '' }, 'freebsd', '/home/ann')).toBe('/home/ann/.cache/pfopt');
  });

  it('uses ~/Library/Caches on macOS, ignoring XDG', () => {
    expect(resolveCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Caches/pfopt');
  });

  it('uses %LOCALAPPDATA%\\pfopt\\Cache on Windows, or the profile when it is unset', () => {
    expect(resolveCacheDir({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Local\\pfopt\\Cache',
    );
    expect(resolveCacheDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Local\\pfopt\\Cache');
  });

  it('asks for PFOPT_CACHE_DIR when there is no home directory', () => {
    expect(() => resolveCacheDir({}, 'linux', '')).toThrow(CacheError);
    expect(() => resolveCacheDir({}, 'darwin', '')).toThrow(/Set PFOPT_CACHE_DIR/);
    expect(resolveCacheDir({ PFOPT_CACHE_DIR: '/x' }, 'linux', '')).toBe('/x');
  });

  it('defaults to this process: environment, platform and home directory', () => {
    const previous = process.env.PFOPT_CACHE_DIR;
    process.env.PFOPT_CACHE_DIR = path.resolve('/tmp/pfopt-location-test');
    try {
      expect(resolveCacheDir()).toBe(path.resolve('/tmp/pfopt-location-test'));
    } finally {
      if (previous === undefined) delete process.env.PFOPT_CACHE_DIR;
      else process.env.PFOPT_CACHE_DIR = previous;
    }
  });
});

describe('cacheFilePath', () => {
  it('names the database file inside the directory', () => {
    expect(CACHE_FILE_NAME).toBe('pfopt-cache.sqlite');
    expect(cacheFilePath('/home/ann/.cache/pfopt')).toBe(path.join('/home/ann/.cache/pfopt', 'pfopt-cache.sqlite'));
  });
});
