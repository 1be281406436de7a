/** `pfopt report --from RESULTS.json`: re-renders a report from saved results, without recomputing anything. */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { parseResults } from '../../report/results.js';
import { action, type CliIO } from '../context.js';
import { publish } from '../report-output.js';

interface ReportFlags {
  from: string;
  out?: string;
  open?: boolean;
  png?: boolean;
  linear?: boolean;
  log?: boolean;
  title?: string;
}

/** Registers `report`. */
export function registerReportCommand(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('re-render the HTML report, charts, CSVs and summary from a results.json, without recomputing')
    .requiredOption('--from <results>', 'results.json written by pfopt demo or pfopt run')
    .option('--out <dir>', 'folder of the report (default: the folder of the results file)')
    .option('--open', 'open the report in the default browser when done')
    .option('--png', 'also write a PNG of every chart')
    .option('--linear', 'equity curve on a linear scale')
    .option('--log', 'equity curve on a logarithmic scale')
    .option('--title <text>', 'title of the report')
    .action(
      action<ReportFlags>(io, async (ctx, flags) => {
        if (flags.linear && flags.log) throw new ValidationError('--linear and --log exclude each other');
        const path = ctx.resolvePath(flags.from);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (error) {
          throw new ValidationError(`cannot read ${flags.from}: ${(error as Error).message}`);
        }
        let results = parseResults(text, flags.from);
        if (flags.linear || flags.log)
          results = { ...results, report: { ...results.report, logScale: flags.log === true } };
        if (flags.title !== undefined) results = { ...results, title: flags.title };
        const out = flags.out ?? dirname(path);
        const same = resolve(ctx.resolvePath(out), 'results.json') === path;
        await publish(ctx, results, {
          out,
          json: !same || flags.linear === true || flags.log === true || flags.title !== undefined,
          ...(flags.open ? { open: true } : {}),
          ...(flags.png ? { png: true } : {}),
        });
      }),
    );
}
