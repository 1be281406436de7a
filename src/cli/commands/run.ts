/**
 * `pfopt run CONFIG`: a whole pipeline from a YAML or JSON file (see run-config.ts): load the universe (a file, an
 * embedded sample, or tickers fetched through the cache from a provider) and its benchmark, cut the dates, then
 * estimate, optimise, assess, stress, backtest and write the report, as `pfopt demo` does on the sample.
 */

import { dirname, isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import { DataError } from '../../core/errors.js';
import { formatCsvMatrix } from '../../data/csv/index.js';
import { loadPrices } from '../../data/load-prices.js';
import { outcomesToMatrix } from '../../data/providers/fetch-prices.js';
import { SAMPLE_PREFIX, sampleInfo, samplesDirectory } from '../../data/samples.js';
import { runPipeline } from '../../report/pipeline.js';
import type { SourceRecord } from '../../report/results.js';
import { action, type CliIO, type CommandContext } from '../context.js';
import { failuresError, runFetch } from '../market-data.js';
import { manifestBase, publish, sourceRecord } from '../report-output.js';
import { pipelineSettings, type RunConfig, readRunConfig } from '../run-config.js';
import { printInfo } from '../terminal.js';

interface RunFlags {
  out?: string;
  open?: boolean;
  png?: boolean;
  offline?: boolean;
}

/** Registers `run`. */
export function registerRunCommand(program: Command, io: CliIO): void {
  program
    .command('run')
    .description(
      'run a whole pipeline from a YAML or JSON file: universe and source, dates, estimators, strategies, backtest, ' +
        'report (examples/ holds some)',
    )
    .argument('<config>', 'the pipeline file (.yaml, .yml or .json)')
    .option('--out <dir>', 'folder of the report (overrides report.out of the file; default ./pfopt-report/)')
    .option('--open', 'open the report in the default browser when done')
    .option('--png', 'also write a PNG of every chart')
    .option('--offline', 'with a provider source: use the local cache alone')
    .action(
      action<RunFlags>(io, async (ctx, flags, args) => {
        const started = performance.now();
        const path = ctx.resolvePath(args[0] as string);
        const config = readRunConfig(path);
        const base = dirname(path);
        const steps = 7;
        let k = 0;
        const step = (text: string): void => printInfo(ctx.term, `[${++k}/${steps}] ${text}...`);
        step(`Loading the universe of ${args[0]}`);
        const { prices, benchmark, sources } = await loadUniverse(ctx, config, base, flags.offline === true);
        const results = await runPipeline({
          prices,
          ...(benchmark === undefined ? {} : { benchmark }),
          settings: pipelineSettings(config),
          manifest: { ...manifestBase(`pfopt run ${args[0]}`), sources },
          onStep: step,
        });
        step('Writing the report');
        const out =
          flags.out ?? (config.report?.out === undefined ? './pfopt-report/' : within(base, config.report.out));
        await publish(ctx, results, {
          out,
          ...(flags.open ? { open: true } : {}),
          ...(flags.png || config.report?.png ? { png: true } : {}),
        });
        printInfo(ctx.term, `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      }),
    );
}

function within(base: string, path: string): string {
  return path.startsWith(SAMPLE_PREFIX) || isAbsolute(path) ? path : resolve(base, path);
}

/** The file behind a source, for its content hash (an embedded sample's file, or the path). */
function fileOf(source: string): string | undefined {
  return source.startsWith(SAMPLE_PREFIX)
    ? samplesDirectory() + sampleInfo(source.slice(SAMPLE_PREFIX.length)).file
    : source;
}

/** Loads the universe and benchmark of a pipeline file, with their manifest records. */
async function loadUniverse(
  ctx: CommandContext,
  config: RunConfig,
  base: string,
  offline: boolean,
): Promise<{ prices: DatedMatrix; benchmark: DatedMatrix | undefined; sources: SourceRecord[] }> {
  const u = config.universe;
  const start = config.dates?.start;
  const end = config.dates?.end;
  if (u.source !== undefined) {
    const tickers = u.tickers as string[];
    const wanted = u.benchmark === undefined ? tickers : [...tickers, u.benchmark];
    const result = await runFetch(ctx, {
      source: u.source,
      tickers: wanted,
      start: start ?? '2010-01-01',
      ...(end === undefined ? {} : { end }),
      mode: offline ? 'offline' : 'normal',
    });
    const failure = failuresError(result, 'drop them from universe.tickers or try again later');
    if (failure !== undefined) throw failure;
    const all = outcomesToMatrix(result.outcomes, 'adjclose');
    const prices = all.selectTickers(tickers);
    const benchmark = u.benchmark === undefined ? undefined : all.selectTickers([u.benchmark]);
    const record = (m: DatedMatrix, role: SourceRecord['role']): SourceRecord =>
      sourceRecord(`${u.source}:${m.tickers.join(',')}`, role, m, undefined, formatCsvMatrix(m));
    return {
      prices,
      benchmark,
      sources: [record(prices, 'universe'), ...(benchmark === undefined ? [] : [record(benchmark, 'benchmark')])],
    };
  }
  const source = within(base, u.prices as string);
  let prices = loadPrices(source).between(start, end);
  const sources: SourceRecord[] = [];
  let benchmark: DatedMatrix | undefined;
  let benchmarkSource: string | undefined;
  if (u.benchmark !== undefined && prices.has(u.benchmark)) {
    benchmark = prices.selectTickers([u.benchmark]);
    prices = prices.selectTickers(prices.tickers.filter((t) => t !== u.benchmark));
  } else {
    const implied =
      u.benchmark === undefined && source.startsWith(SAMPLE_PREFIX)
        ? sampleInfo(source.slice(SAMPLE_PREFIX.length)).benchmark
        : undefined;
    benchmarkSource =
      u.benchmark === undefined
        ? implied === undefined
          ? undefined
          : SAMPLE_PREFIX + implied
        : within(base, u.benchmark);
    if (benchmarkSource !== undefined) {
      benchmark = loadPrices(benchmarkSource).between(start, end);
      if (benchmark.columnCount !== 1) {
        throw new DataError(
          `universe.benchmark ${u.benchmark}: expected one price column, found ${benchmark.columnCount}`,
        );
      }
    }
  }
  if (u.tickers !== undefined) {
    const missing = u.tickers.filter((t) => !prices.has(t));
    if (missing.length > 0) {
      throw new DataError(
        `universe.tickers: ${missing.join(', ')} not in ${u.prices} (it has ${prices.tickers.join(', ')})`,
      );
    }
    prices = prices.selectTickers(u.tickers);
  }
  sources.push(sourceRecord(u.prices as string, 'universe', prices, fileOf(source)));
  if (benchmark !== undefined) {
    sources.push(
      sourceRecord(
        benchmarkSource ?? `${u.prices} (${u.benchmark})`,
        'benchmark',
        benchmark,
        fileOf(benchmarkSource ?? source),
      ),
    );
  }
  return { prices, benchmark, sources };
}
