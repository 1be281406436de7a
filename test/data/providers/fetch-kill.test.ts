import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/data/cache/index.js';
import { couldHoldSession } from '../../../src/data/providers/ranges.js';
import { sessions } from './fixtures.js';
import { type FixtureServer, startServer } from './server.js';
import { type YahooState, yahooHandler } from './yahoo-server.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('../../fixtures/fetch-child.ts', import.meta.url));

/** Kill points; each one runs the child on the same cache and kills it with SIGKILL at a seeded moment. */
const KILL_POINTS = 22;
const SEED = 0x0f37c4;

/** mulberry32: seeded numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server: FixtureServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  const state: YahooState = { histories: new Map(), overrides: new Map() };
  for (let i = 0; i < 8; i++) state.histories.set(`T${i}`, sessions('2022-01-03', '2024-01-12', 50 + 10 * i, 0.95));
  const serve = yahooHandler(state);
  // A few milliseconds per response, so some kills land while requests are in flight.
  server.handler = (req) => ({ ...serve(req), delayMs: 3 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-fetch-kill-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  readonly killed: boolean;
  /** The last line was `tx S` with no commit after it: the kill landed inside a write transaction. */
  readonly insideTransaction: boolean;
  readonly lines: string[];
}

/** Runs the child and kills it `delayMs` after its `eventIndex`-th event line (tx or committed). */
function runAndKill(run: number, eventIndex: number, delayMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, server.baseUrl, String(run)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let events = 0;
    let armed = false;
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      events = stdout.split('\n').filter((l) => l.startsWith('tx ') || l.startsWith('committed ')).length;
      if (!armed && events > eventIndex) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      const lines = stdout.split('\n').filter((l) => l !== '');
      if (signal !== 'SIGKILL' && code !== 0) {
        reject(new Error(`child failed (exit ${code}): ${stderr}`));
        return;
      }
      const last = lines.at(-1) ?? '';
      resolve({
        killed: signal === 'SIGKILL',
        insideTransaction: signal === 'SIGKILL' && last.startsWith('tx '),
        lines,
      });
    });
  });
}

type Snapshot = Map<string, { close: number; adjClose: number | null; volume: number | null }>;

/** Opens the cache and checks it: sound file, bars agree with coverage; returns every bar keyed by symbol and day. */
function inspect(): Snapshot {
  const cache = openCache({ dir });
  try {
    expect(cache.checkIntegrity()).toEqual([]);
    const out: Snapshot = new Map();
    for (let i = 0; i < 8; i++) {
      const symbol = `T${i}`;
      const bars = cache.readBars('yahoo', symbol);
      const days = new Set(bars.map((b) => b.day));
      for (const bar of bars)
        out.set(`${symbol}@${bar.day}`, { close: bar.close, adjClose: bar.adjClose, volume: bar.volume });
      // Coverage and bars are written in one transaction: every covered weekday has its bar.
      for (const range of cache.coverage('yahoo', symbol)) {
        for (let d = range.fromDay; d <= range.toDay; d++) {
          if (couldHoldSession({ fromDay: d, toDay: d }, 'UTC') && !days.has(d)) {
            throw new Error(`${symbol}: day ${d} is covered but has no bar`);
          }
        }
      }
    }
    return out;
  } finally {
    cache.close();
  }
}

describe('a fetch killed at any point', () => {
  it(`leaves the cache openable with every bar it held, at ${KILL_POINTS} seeded kill points`, async () => {
    const random = seeded(SEED);
    let before: Snapshot = new Map();
    let killed = 0;
    let inside = 0;
    for (let point = 0; point < KILL_POINTS; point++) {
      const eventIndex = Math.floor(random() * 16);
      const delayMs = Math.floor(random() * 30);
      const run = await runAndKill(point, eventIndex, delayMs);
      if (run.killed) killed++;
      if (run.insideTransaction) inside++;
      const after = inspect();
      for (const [key, bar] of before) {
        expect(after.get(key), `kill point ${point} (event ${eventIndex} + ${delayMs} ms): ${key}`).toEqual(bar);
      }
      expect(after.size).toBeGreaterThanOrEqual(before.size);
      before = after;
    }
    expect(killed).toBeGreaterThanOrEqual(20);
    expect(inside).toBeGreaterThanOrEqual(3);
    expect(before.size).toBeGreaterThan(0);
  }, 180_000);
});
