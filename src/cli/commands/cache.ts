/**
 * `pfopt cache ...`: where the local data cache is and what it holds; clearing it.
 */

import type { Command } from 'commander';
import { isoDate } from '../../core/dates.js';
import { CACHE_DIR_ENV, type CacheInfo, openCache, resolveCacheDir } from '../../data/cache/index.js';
import { action, type CliIO, type CommandContext } from '../context.js';
import { renderTable } from '../table.js';
import { printResult } from '../terminal.js';

/**
 * The cache directory of a run: `PFOPT_CACHE_DIR`, else the configuration's `cacheDir`, else the platform's user
 * cache directory.
 */
export function cacheDirectory(ctx: CommandContext): string {
  const fromEnv = ctx.io.env[CACHE_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return ctx.resolvePath(fromEnv);
  if (ctx.config.cacheDir !== undefined) return ctx.resolvePath(ctx.config.cacheDir);
  return resolveCacheDir(ctx.io.env);
}

/** Registers `cache info` and `cache clear`. */
export function registerCacheCommands(program: Command, io: CliIO): void {
  const cache = program.command('cache').description('the local market-data cache (SQLite)');

  cache
    .command('info')
    .description('where the cache is, which SQLite driver opened it, its size and what it holds')
    .action(
      action(io, (ctx) => {
        const store = openCache({ dir: cacheDirectory(ctx) });
        try {
          const info = store.info();
          printResult(ctx.term, info, () => formatInfo(info, ctx));
        } finally {
          store.close();
        }
      }),
    );

  cache
    .command('clear')
    .description('delete every bar, action, instrument, coverage range and fetch-log row from the cache')
    .action(
      action(io, (ctx) => {
        const store = openCache({ dir: cacheDirectory(ctx) });
        try {
          const before = store.info();
          store.clear();
          const removed = {
            bars: before.bars,
            actions: before.actions,
            instruments: before.instruments,
            fetches: before.fetches,
          };
          printResult(
            ctx.term,
            { path: before.path, removed },
            () =>
              `Cleared ${before.path}: removed ${removed.bars} bars, ${removed.actions} corporate actions, ` +
              `${removed.instruments} instruments and ${removed.fetches} fetch-log rows.`,
          );
        } finally {
          store.close();
        }
      }),
    );
}

function formatInfo(info: CacheInfo, ctx: CommandContext): string {
  const mb = (info.sizeBytes / 1_048_576).toFixed(2);
  const lines = [
    `${ctx.term.colors.bold('cache')}: ${info.path}`,
    `driver: ${info.driver}, schema version ${info.schemaVersion}, ${mb} MB`,
    `${info.bars} bars, ${info.actions} corporate actions, ${info.instruments} instruments, ${info.fetches} fetches logged`,
  ];
  if (info.symbols.length > 0) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'provider' },
          { header: 'symbol' },
          { header: 'bars', align: 'right' },
          { header: 'from' },
          { header: 'to' },
        ],
        info.symbols.map((s) => [s.provider, s.symbol, String(s.bars), isoDate(s.firstDay), isoDate(s.lastDay)]),
        ctx.term.colors,
      ),
    );
  }
  return lines.join('\n');
}
