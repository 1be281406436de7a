/**
 * What a command needs from the run: its streams, environment, working directory, the global flags as a Terminal,
 * and the configuration file.
 */

import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type PfoptConfig } from './config.js';
import { createTerminal, type OutputStream, type Terminal } from './terminal.js';

/** The outside world of one CLI run (process streams and environment, or test doubles). */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Everything a command's action receives besides its own options. */
export interface CommandContext {
  readonly io: CliIO;
  readonly term: Terminal;
  readonly config: PfoptConfig;
  /** Path of the configuration file in use, if any. */
  readonly configPath?: string;
  /** A user-given path resolved against the working directory. */
  resolvePath(path: string): string;
}

interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  color?: boolean;
  config?: string;
}

/** Builds the context of a command from its global flags (read through `optsWithGlobals`). */
export function commandContext(cmd: Command, io: CliIO): CommandContext {
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  const term = createTerminal(io, io.env, {
    json: flags.json === true,
    quiet: flags.quiet === true,
    debug: flags.debug === true,
    color: flags.color !== false,
  });
  const resolvePath = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const explicit = flags.config ?? io.env.PFOPT_CONFIG;
  const { config, path } = loadConfig(explicit === undefined ? undefined : resolvePath(explicit), io.cwd);
  return path === undefined ? { io, term, config, resolvePath } : { io, term, config, configPath: path, resolvePath };
}

/**
 * Wraps a command action so that it receives the context and its own options (commander passes positional
 * arguments first, then the options object, then the command).
 */
export function action<O>(
  io: CliIO,
  handler: (ctx: CommandContext, options: O, args: string[]) => Promise<void> | void,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const options = args[args.length - 2] as O;
    const positional = args.slice(0, -2).flat() as string[];
    await handler(commandContext(cmd, io), options, positional);
  };
}
