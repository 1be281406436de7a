import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, openSqlite } from '../../src/data/cache/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('../fixtures/cache-writer.ts', import.meta.url));

/** Kill points: each one starts a writer on the same cache and kills it with SIGKILL after a seeded delay. */
const KILL_POINTS = 4;
/** Seed of the delays, so a failure can be replayed exactly. */
const SEED = 0x5eed_cace;
/** Longest delay after the writer's first commit; one transaction of BATCH bars takes about 30 ms. */
const MAX_DELAY_MS = 120;
/** Bars per transaction of the writer. */
const BATCH = 10_000;

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-cache-kill-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A small seeded generator (mulberry32) of numbers in [0, 1). */
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

interface WriterRun {
  /** Day the writer resumed at (what it found committed). */
  readonly start: number;
  /** Days the writer reported as committed before it died. */
  readonly committed: number;
  readonly signal: NodeJS.Signals | null;
}

/** Starts the writer, kills it `delayMs` after its first commit, and reports what it said. */
function runAndKill(delayMs: number): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(BATCH)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let start = -1;
    let committed = -1;
    let killTimer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const match of stdout.matchAll(/^(start|committed) (\d+)$/gm)) {
        if (match[1] === 'start') start = Number(match[2]);
        else committed = Number(match[2]);
      }
      if (committed >= 0 && killTimer === undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      clearTimeout(killTimer);
      if (committed < 0) {
        reject(new Error(`the writer never committed (exit ${code ?? signal}): ${stderr || stdout}`));
      } else {
        resolve({ start, committed, signal });
      }
    });
  });
}

/** Checks the cache after a kill: returns the number of days stored. */
function verifyCache(reportedCommitted: number): number {
  const store = openCache({ dir });
  try {
    const bars = store.readBars('test', 'KILL');
    const n = bars.length;
    // Everything the writer reported as committed is there (it may have committed one more batch before dying).
    expect(n).toBeGreaterThanOrEqual(reportedCommitted);
    expect(n - reportedCommitted).toBeLessThanOrEqual(BATCH);
    // Transactions are atomic: whole batches only, days 0..n-1 without holes, values intact.
    expect(n % BATCH).toBe(0);
    bars.forEach((bar, i) => {
      if (bar.day !== i || bar.close !== i + 0.25 || bar.adjClose !== i / 2 || bar.volume !== i) {
        throw new Error(`bar ${i} is wrong after the kill: ${JSON.stringify(bar)}`);
      }
    });
    // Bars and coverage were written in the same transaction, so they agree.
    expect(store.coverage('test', 'KILL')).toEqual(n === 0 ? [] : [{ fromDay: 0, toDay: n - 1 }]);
    expect(store.checkIntegrity()).toEqual([]);
    return n;
  } finally {
    store.close();
  }
}

describe('durability', () => {
  it(`keeps every committed bar and a sound file when the writer is killed at ${KILL_POINTS} points`, async () => {
    const random = seeded(SEED);
    let stored = 0;
    for (let point = 0; point < KILL_POINTS; point++) {
      const delayMs = Math.floor(random() * MAX_DELAY_MS);
      const run = await runAndKill(delayMs);
      expect(run.signal, `kill point ${point} (delay ${delayMs} ms)`).toBe('SIGKILL');
      expect(run.start, 'the writer resumes exactly after what is stored').toBe(stored);
      stored = verifyCache(run.committed);
      expect(stored).toBeGreaterThan(run.start);
    }
    // The raw file passes SQLite's own check too.
    const db = openSqlite(path.join(dir, 'pfopt-cache.sqlite'));
    try {
      expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
  });
});
