/**
 * End-to-end: the compiled `pfopt` binary named by package.json's `bin`, run as a user runs it (npm test builds it
 * first). These prove the build, the shebang entry point, exit codes and the stdout/stderr split of a real process.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { pfopt: string }; version: string };
const bin = join(root, pkg.bin.pfopt);
const dir = mkdtempSync(join(tmpdir(), 'pfopt-bin-'));

function pfopt(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dir, PFOPT_CACHE_DIR: join(dir, 'cache'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" first (npm test does)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the pfopt binary', () => {
  it('prints its version and help', () => {
    expect(pfopt(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = pfopt(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: pfopt/);
  });

  it('runs the main job offline and prints the data summary', () => {
    const r = pfopt(['demo', '--out', join(dir, 'report')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sample:stocks: 5 tickers, 123 rows');
    expect(r.stdout).toContain('sample:sp500: 1 ticker, 123 rows');
    expect(r.stdout).toContain(`Report: ${join(dir, 'report', 'index.html')}`);
  });

  it('--json keeps stdout pure JSON and the progress note off it', () => {
    const r = pfopt(['data', 'show', '--prices', 'sample:stocks', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).firstValid.GOOG).toBe('2004-08-01');
    const demo = pfopt(['demo', '--json', '--out', join(dir, 'report-json')]);
    expect(() => JSON.parse(demo.stdout)).not.toThrow();
    expect(demo.stderr).toBe('');
  });

  it('colours tables only when asked, never with NO_COLOR', () => {
    expect(pfopt(['data', 'samples']).stdout).not.toContain('\u001b[');
    expect(pfopt(['data', 'samples'], { FORCE_COLOR: '1' }).stdout).toContain('\u001b[1m');
    expect(pfopt(['data', 'samples'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('exits non-zero with one line on stderr for bad input', () => {
    const r = pfopt(['data', 'show', '--prices', join(dir, 'missing.csv')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pfopt: .*missing\.csv/);
  });

  it('writes a synthetic market that data show reads back', () => {
    const out = join(dir, 'synth.csv');
    const sectors = join(dir, 'sectors.csv');
    const synth = ['data', 'synth', '--assets', '12', '--periods', '300', '--seed', '42', '--late-listings', '0.25'];
    const w = pfopt([...synth, '--out', out, '--sectors-out', sectors, '--json']);
    expect(w.code, w.stderr).toBe(0);
    const written = JSON.parse(w.stdout);
    expect(written).toMatchObject({ assets: 12, periods: 300, seed: 42, periodsPerYear: 252, start: '2000-01-03' });
    const shown = JSON.parse(pfopt(['data', 'show', '--prices', out, '--json']).stdout);
    expect(shown.tickers).toHaveLength(12);
    expect(shown.rows).toBe(300);
    expect(shown.periodsPerYear).toBe(252);
    const late = Object.values(shown.firstValid as Record<string, string>).filter((d) => d > '2000-01-03');
    expect(late).toHaveLength(3); // a quarter of 12 assets listed late
    const sectorLines = readFileSync(sectors, 'utf8').trim().split('\n');
    expect(sectorLines[0]).toBe('ticker,sector');
    expect(sectorLines).toHaveLength(13);
    // Same seed, same bytes.
    const again = join(dir, 'synth-again.csv');
    pfopt([...synth, '--out', again]);
    expect(readFileSync(again)).toEqual(readFileSync(out));
  });
});
