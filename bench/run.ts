/**
 * `npm run bench`: runs every case of every `bench/*.bench.ts` file, each in its own child process, prints a table
 * and writes `bench/results.json` (machine-readable) and `bench/results.md` (the same table).
 * Optional arguments filter the files by name (`npm run bench -- csv`).
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase, BenchResult } from './harness.js';
import { ROOT } from './harness.js';

const filters = process.argv.slice(2);
const benchDir = join(ROOT, 'bench');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const results: BenchResult[] = [];
for (const f of files) {
  const path = join(benchDir, f);
  const mod = (await import(pathToFileURL(path).href)) as { cases: BenchCase<unknown>[] };
  for (let i = 0; i < mod.cases.length; i++) {
    process.stderr.write(`bench ${f} #${i}: ${mod.cases[i]?.name}\n`);
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(benchDir, 'run-case.ts'), path, String(i)],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1) as string) as BenchResult;
    results.push({ ...result, file: f });
  }
}

// Keep the recorded results of files not run this time (a filtered run updates only its own cases).
const resultsPath = join(benchDir, 'results.json');
const previous = existsSync(resultsPath)
  ? ((JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: BenchResult[] }).results ?? [])
  : [];
const all = [...previous.filter((r) => !files.includes(r.file)), ...results].sort((a, b) =>
  a.file === b.file ? 0 : a.file < b.file ? -1 : 1,
);

const fmt = (x: number | undefined): string => (x === undefined ? '' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const header = '| case | median ms | min ms | max ms | runs | peak RSS MB | timed | reference |';
const rule = '|---|---:|---:|---:|---:|---:|---|---|';
const rows = all.map((r) =>
  r.skipped
    ? `| ${r.name} | | | | | | ${r.skipped} | ${r.reference ?? ''} |`
    : `| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.minMs)} | ${fmt(r.maxMs)} | ${r.runs} | ${fmt(r.peakRssMb)} | ${r.timed} | ${r.reference ?? ''} |`,
);
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const table = [header, rule, ...rows].join('\n');
const when = new Date().toISOString();
writeFileSync(resultsPath, `${JSON.stringify({ when, machine, results: all }, null, 2)}\n`);
writeFileSync(
  join(benchDir, 'results.md'),
  `# Benchmark results\n\n${when}, ${machine}. Medians of at least five timed runs after warm-up; each case in its own process.\n\n${table}\n`,
);
process.stdout.write(`${table}\n\nwritten: bench/results.json, bench/results.md\n`);
