#!/usr/bin/env node
/**
 * Entry point of the `pfopt` command: runs the CLI on the process's arguments and sets the exit code.
 */

import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
