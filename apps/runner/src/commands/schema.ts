import { parseArgs } from '../args.js';
import { createBuiltinRegistry } from '../builtins.js';
import type { CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = { ...COMMON_FLAGS } as const;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of experiment files (for editor completion)',
  usage: ['schema > scratchnet.schema.json'],
  flags,
  details:
    'The schema covers every built-in plugin. Point your editor at it, e.g. with the YAML language\n' +
    'server: put `# yaml-language-server: $schema=./scratchnet.schema.json` on the first line of a config.',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: given, positionals } = parseArgs(argv, flags, 'schema');
    if (positionals.length > 0) throw usageError(`runner schema takes no arguments (got ${positionals.join(' ')}).`);
    const registry = createBuiltinRegistry();
    registry.freeze();
    // --json keeps its promise of one JSON value per line; without it, a schema to read and commit.
    io.stdout.write(`${JSON.stringify(registry.experimentSchema(), null, given.json ? undefined : 2)}\n`);
    return EXIT.ok;
  },
};
