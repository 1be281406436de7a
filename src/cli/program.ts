/**
 * The `pfopt` command line: global flags, the commands, and the mapping of errors to one-line messages and exit
 * codes. `runCli` is the whole program as a function of its arguments and environment, so tests can run it in-process.
 */

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PfoptError } from '../core/errors.js';
import { registerAllocateCommand } from './commands/allocate.js';
import { registerBacktestCommand } from './commands/backtest.js';
import { registerCacheCommands } from './commands/cache.js';
import { registerDataCommands } from './commands/data.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerFetchCommands } from './commands/fetch.js';
import { registerOptimizeCommands } from './commands/optimize.js';
import { registerReportCommand } from './commands/report.js';
import { registerRiskCommand } from './commands/risk.js';
import { registerRunCommand } from './commands/run.js';
import { registerStressCommand } from './commands/stress.js';
import type { CliIO } from './context.js';

/** The package version, read from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Builds the command tree. Commands write through `io`; nothing here touches `process` directly. */
export function createProgram(io: CliIO): Command {
  const program = new Command('pfopt')
    .description('Portfolio optimization from market data to a decision and its evidence.')
    .version(VERSION, '-V, --version', 'print the version of pfopt')
    .option('--json', 'machine-readable output: one JSON document on stdout, nothing else there')
    .option('-q, --quiet', 'print results only: no progress, notes or warnings')
    .option('--debug', 'print stack traces with errors')
    .option('--no-color', 'no colours in terminal output (NO_COLOR=1 does the same)')
    .option('--config <file>', 'configuration file (default: pfopt.config.json or .yaml in the working directory)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  registerDemoCommand(program, io);
  registerRunCommand(program, io);
  registerReportCommand(program, io);
  registerDataCommands(program, io);
  registerOptimizeCommands(program, io);
  registerAllocateCommand(program, io);
  registerRiskCommand(program, io);
  registerBacktestCommand(program, io);
  registerStressCommand(program, io);
  registerCacheCommands(program, io);
  registerFetchCommands(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  for (const cmd of program.commands.flatMap((c) => c.commands)) {
    cmd.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/**
 * Runs the command line on `args` (without the node and script paths) and returns the exit code:
 * 0 success, 1 internal error, 2 bad usage or invalid option/configuration, 3 bad data, 4 infeasible problem,
 * 6 cache problem. Errors are printed on one line (`pfopt: ...`); stack traces only with `--debug`.
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
  const debug = args.includes('--debug');
  try {
    if (args.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own message already (help, version, or a usage error).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof PfoptError) {
      io.stderr.write(`pfopt: ${error.message}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    io.stderr.write(`pfopt: internal error: ${err.message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
