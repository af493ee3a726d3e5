import { flagHelp } from './args.js';
import type { Command } from './commands/command.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

export function commandHelp(command: Command): string {
  const usage = command.usage.map((line) => `  runner ${line}`).join('\n');
  const details = command.details ? `\n\n${command.details}` : '';
  return `runner ${command.name}: ${command.summary}\n\nUsage:\n${usage}\n\nFlags:\n${flagHelp(command.flags)}${details}\n\n${EXIT_CODE_HELP}\n`;
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const list = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `runner: train and use scratchnet digit recognisers described by YAML experiments

Usage:
  runner CONFIG [flags]          train CONFIG (the same as runner train CONFIG)
  runner COMMAND [args] [flags]

Commands:
${list}

Run runner COMMAND --help for a command's arguments and flags; runner --version prints the
version. Config settings are changed with --set (runner CONFIG --set training.epochs=3).

Environment:
  SCRATCHNET_DATA   default for --data-dir (data-set paths resolve against it after the config's folder)
  NO_COLOR          no colour and no redraws in terminal output (plain progress lines)
  SCRATCHNET_PROGRESS_SECONDS  seconds between plain progress lines (default 10; 0 = none)
  SCRATCHNET_DEBUG  1 prints stack traces of internal errors

${EXIT_CODE_HELP}
`;
}
