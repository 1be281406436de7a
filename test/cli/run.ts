import { runCli } from '../../src/cli/program.js';

/** Result of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams (not a terminal, so no colour). */
export async function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? { PFOPT_CACHE_DIR: '/nonexistent-pfopt-test-cache' },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
