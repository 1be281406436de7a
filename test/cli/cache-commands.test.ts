import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epochDay } from '../../src/core/dates.js';
import { openCache } from '../../src/data/cache/index.js';
import { cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-cache-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pfopt cache info / clear', () => {
  it('reports an empty cache in PFOPT_CACHE_DIR, then what was stored, then clears it', async () => {
    const env = { PFOPT_CACHE_DIR: join(dir, 'c1') };
    const empty = await cli(['cache', 'info', '--json'], { env });
    expect(empty.code, empty.stderr).toBe(0);
    const info0 = JSON.parse(empty.stdout);
    expect(info0.path).toBe(join(dir, 'c1', 'pfopt-cache.sqlite'));
    expect(info0.bars).toBe(0);

    const store = openCache({ dir: join(dir, 'c1') });
    const day = epochDay(2024, 1, 2);
    store.upsertBars('yahoo', 'AAPL', [
      { day, open: 1, high: 2, low: 0.5, close: 1.5, adjClose: 1.4, volume: 100, final: true },
      { day: day + 1, open: 1, high: 2, low: 0.5, close: 1.6, adjClose: 1.5, volume: 100, final: true },
    ]);
    store.close();

    const full = await cli(['cache', 'info'], { env });
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('2 bars');
    expect(full.stdout).toMatch(/yahoo\s+AAPL\s+2\s+2024-01-02\s+2024-01-03/);

    const cleared = await cli(['cache', 'clear', '--json'], { env });
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout).removed.bars).toBe(2);
    const after = JSON.parse((await cli(['cache', 'info', '--json'], { env })).stdout);
    expect(after.bars).toBe(0);
  });

  it('uses the configuration key cacheDir when PFOPT_CACHE_DIR is not set', async () => {
    const cwd = mkdtempSync(join(dir, 'cfg-'));
    writeFileSync(join(cwd, 'pfopt.config.yaml'), 'cacheDir: ./my-cache\n');
    const r = await cli(['cache', 'info', '--json'], { cwd, env: { HOME: cwd } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).path).toBe(join(cwd, 'my-cache', 'pfopt-cache.sqlite'));
  });

  it('a cache path that cannot be created is a one-line cache error (exit 6)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await cli(['cache', 'info'], { env: { PFOPT_CACHE_DIR: join(file, 'cache') } });
    expect(r.code).toBe(6);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(file, 'cache'));
    expect(r.stderr).toContain('PFOPT_CACHE_DIR');
  });
});
