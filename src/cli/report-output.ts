/**
 * What `demo`, `run` and `report` share: the manifest record of an input (with its content hash), the terminal
 * comparison table, writing the report folder with progress, and opening the report in the user's browser.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import type { ReportResults, SourceRecord } from '../report/results.js';
import { comparisonRows, comparisonTable } from '../report/summary.js';
import { writeReport } from '../report/write.js';
import type { CommandContext } from './context.js';
import { renderTable } from './table.js';
import { printInfo, printResult, printWarning } from './terminal.js';

/** SHA-256 (hex) of a file's bytes, or of a text when the input is not a file. */
export function contentHash(path: string | undefined, fallback = ''): string {
  const hash = createHash('sha256');
  hash.update(path !== undefined && existsSync(path) ? readFileSync(path) : Buffer.from(fallback));
  return hash.digest('hex');
}

/** The manifest record of a loaded input. */
export function sourceRecord(
  name: string,
  role: SourceRecord['role'],
  matrix: DatedMatrix,
  path: string | undefined,
  content?: string,
): SourceRecord {
  const d = matrix.dates;
  return {
    name,
    role,
    sha256: contentHash(path, content ?? name),
    tickers: [...matrix.tickers],
    rows: matrix.rowCount,
    start: d.length > 0 ? isoDate(d[0] as number) : '',
    end: d.length > 0 ? isoDate(d[d.length - 1] as number) : '',
  };
}

/** The fixed part of a manifest: version, Node, time and command. */
export function manifestBase(command: string): {
  pfoptVersion: string;
  nodeVersion: string;
  createdAt: string;
  command: string;
} {
  return { pfoptVersion: packageVersion(), nodeVersion: process.version, createdAt: new Date().toISOString(), command };
}

/** pfopt's version from package.json (read here rather than from program.ts, which imports the commands). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Options of `publish`. */
export interface PublishOptions {
  readonly out: string;
  readonly open?: boolean;
  readonly png?: boolean;
  /** Write results.json; default true. */
  readonly json?: boolean;
  /** Lines printed before the comparison table (e.g. the data summary). */
  readonly preamble?: readonly string[];
}

/**
 * Writes the report folder (progress on stderr), then prints the comparison table and the report's path on stdout
 * (with `--json`, one document: the path, the files and the comparison rows), and opens the report when asked.
 */
export async function publish(ctx: CommandContext, results: ReportResults, options: PublishOptions): Promise<void> {
  const dir = ctx.resolvePath(options.out);
  let announced = false;
  const written = await writeReport(results, dir, {
    png: options.png === true,
    json: options.json !== false,
    onChart: (_id, k, total) => {
      if (!announced) printInfo(ctx.term, `Drawing ${total} charts and writing the report...`);
      announced = k >= 0;
    },
  });
  if (results.warnings.length > 0) {
    const n = results.warnings.length;
    printInfo(
      ctx.term,
      `${n} note${n === 1 ? '' : 's'} from the run (such as a rebalance with no solution) in the report's manifest.`,
    );
  }
  printResult(
    ctx.term,
    { report: written.html, files: written.files, charts: written.charts, comparison: comparisonRows(results) },
    () => {
      const t = comparisonTable(results);
      const keep = [0, 1, 2, 3, 4, 6, 7, 8];
      const columns = keep.map((j) => ({
        header: t.headers[j] as string,
        align: j === 0 ? ('left' as const) : ('right' as const),
      }));
      const c = ctx.term.colors;
      const rows = comparisonRows(results);
      const sharpes = rows.filter((r) => !r.isBenchmark).map((r) => r.backtestSharpe ?? Number.NEGATIVE_INFINITY);
      const best = sharpes.indexOf(Math.max(...sharpes));
      const sharpeColumn = keep.indexOf(6);
      const table = renderTable(
        columns,
        t.cells.map((row) => keep.map((j) => row[j] as string)),
        c,
        (text, i, j) => {
          if (rows[i]?.isBenchmark) return c.dim(text);
          if (i === best && j === sharpeColumn) return c.green(c.bold(text));
          return /^-\d/.test(text) ? c.red(text) : text;
        },
      );
      return [
        ...(options.preamble ?? []),
        table,
        '',
        `${c.bold('Report:')} ${written.html}`,
        `Also in ${dir}: results.json, summary.md, weights/frontier/nav/trades/metrics CSV, charts/*.svg${options.png ? ' and *.png' : ''}.`,
      ].join('\n');
    },
  );
  if (options.open) openInBrowser(ctx, written.html);
}

/** Opens a file in the default browser (xdg-open, open or start), without waiting for it. */
function openInBrowser(ctx: CommandContext, path: string): void {
  const platform = process.platform;
  const [cmd, args] =
    platform === 'darwin'
      ? ['open', [path]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '', path]]
        : ['xdg-open', [path]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => printWarning(ctx.term, `could not open the report with ${cmd}; open ${path} yourself`));
    child.unref();
  } catch {
    printWarning(ctx.term, `could not open the report with ${cmd}; open ${path} yourself`);
  }
}
