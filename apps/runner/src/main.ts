import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { isScratchnetError } from '@scratchnet/spec';
import type { Command } from './commands/command.js';
import { compareCommand } from './commands/compare.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { pluginsCommand } from './commands/plugins.js';
import { predictCommand } from './commands/predict.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { ConfigIssuesError } from './config/issues.js';
import { createReporter, type CliIo } from './context.js';
import { classify, EXIT, usageError } from './exit-codes.js';
import { commandHelp, mainHelp } from './help.js';
import { suggest } from './suggest.js';

export const COMMANDS: readonly Command[] = [
  trainCommand,
  validateCommand,
  evalCommand,
  predictCommand,
  exportCommand,
  importCommand,
  reportCommand,
  compareCommand,
  serveCommand,
  sweepCommand,
  workerCommand,
  pluginsCommand,
  schemaCommand,
];

/**
 * The whole CLI as a function: argv in, exit code out. `runner CONFIG` is `runner train CONFIG`;
 * errors are printed here, once, with the exit code their kind maps to.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug') || io.env.SCRATCHNET_DEBUG === '1';
  const json = argv.includes('--json');
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(mainHelp(COMMANDS));
      return EXIT.usage;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${versionLine()}\n`);
      return EXIT.ok;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.stdout.write(topic ? commandHelp(topic) : mainHelp(COMMANDS));
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (command) {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(commandHelp(command));
        return EXIT.ok;
      }
      return await command.run(rest, io);
    }
    // Flags first (`runner --json x.yaml`, `runner --resume RUN`) or a config file: train.
    if (!first.startsWith('-') && !looksLikeConfig(first) && !existsSync(resolve(io.cwd, first))) {
      const guess = suggest(first, COMMANDS.map((c) => c.name));
      const hint = guess ? ` Did you mean "runner ${guess}"?` : ' Give a config file (a .yaml file) or one of the commands in runner --help.';
      throw usageError(`unknown command "${first}".${hint}`);
    }
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout.write(commandHelp(trainCommand));
      return EXIT.ok;
    }
    return await trainCommand.run(argv, io);
  } catch (error) {
    return report(error, io, { json, debug });
  }
}

/** `@scratchnet/runner 0.1.0 (Node v20.20.2)`: the package.json beside src/ and dist/ says which. */
export function versionLine(): string {
  const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
  return `${name} ${version} (Node ${process.version})`;
}

function looksLikeConfig(arg: string): boolean {
  return /\.ya?ml$/i.test(arg) || arg.includes('/') || arg.includes('\\');
}

/** Prints an error the way its kind deserves and returns its exit code. */
export function report(error: unknown, io: CliIo, options: { json: boolean; debug: boolean }): number {
  const { exitCode, userError } = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  const reporter = createReporter(io, options.json);
  reporter.emit({
    event: 'error',
    exitCode,
    message: userError ? message : `internal error: ${message}`,
    ...(isScratchnetError(error) ? { code: error.code } : {}),
    ...(error instanceof ConfigIssuesError ? { issues: error.issues } : {}),
  });
  if (!userError || options.debug) {
    const stack = error instanceof Error && error.stack ? error.stack : String(error);
    io.stderr.write(options.debug ? `${stack}\n` : 'Run with --debug (or SCRATCHNET_DEBUG=1) for the stack trace.\n');
  }
  return exitCode;
}
