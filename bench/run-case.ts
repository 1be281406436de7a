/**
 * Child process of the benchmark runner: times one case of one file and prints its result as one JSON line.
 * Usage: node --expose-gc --import tsx bench/run-case.ts FILE CASE_INDEX
 */

import { pathToFileURL } from 'node:url';
import { type BenchCase, type BenchResult, median, timeCase } from './harness.js';

const [file, index] = process.argv.slice(2);
if (file === undefined || index === undefined) throw new Error('usage: run-case.ts FILE CASE_INDEX');
const mod = (await import(pathToFileURL(file).href)) as { cases: BenchCase<unknown>[] };
const c = mod.cases[Number(index)];
if (!c) throw new Error(`${file} has no case ${index}`);
const outcome = await timeCase(c);
const base = { file, name: c.name, timed: c.timed, ...(c.reference ? { reference: c.reference } : {}) };
const result: BenchResult =
  'skipped' in outcome
    ? { ...base, skipped: outcome.skipped }
    : {
        ...base,
        medianMs: median(outcome.times),
        minMs: Math.min(...outcome.times),
        maxMs: Math.max(...outcome.times),
        runs: outcome.times.length,
        // maxRSS is in kilobytes: the peak resident memory of this process, which ran only this case.
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      };
process.stdout.write(`${JSON.stringify(result)}\n`);
