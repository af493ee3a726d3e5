import { parseArgs } from '../args.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { writeComparison } from '../report/write-report.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = {
  out: { type: 'string', value: 'FILE', description: 'where to write the HTML (default: compare.html in the working folder)' },
  ...COMMON_FLAGS,
} as const;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'one HTML page overlaying several runs: curves, settings that differ, final figures',
  usage: ['compare RUN_DIR RUN_DIR... [--out FILE] [--json]'],
  flags,
  details: `Reads each run folder's config.resolved.yaml, metrics.jsonl, summary.json and evaluation.json
(unfinished runs too) and writes one self-contained HTML page: training and validation loss and
accuracy of every run on shared axes, a table of the config settings that differ between them,
and their final test figures and times. Runs of one config are named by their folder. An
existing FILE is replaced (atomically: it is derived from the runs). Prints the path written.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'compare');
    if (positionals.length < 2) {
      throw usageError(
        `runner compare needs at least two run folders, got ${positionals.length}${positionals.length === 1 ? ` (${positionals[0]})` : ''}. ` +
          'Give each RUN_DIR, e.g. runner compare runs/a runs/b; runner report RUN_DIR shows a single run.',
      );
    }
    const file = await writeComparison(positionals, { cwd: io.cwd, out: options.out ?? 'compare.html' });
    const shown = displayPath(file, io.cwd);
    createReporter(io, options.json).result(shown, { event: 'comparison', path: shown, runs: positionals });
    return EXIT.ok;
  },
};
