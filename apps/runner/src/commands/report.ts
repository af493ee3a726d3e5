import { parseArgs } from '../args.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { writeRunReport } from '../report/write-report.js';
import { COMMON_FLAGS, DATA_DIR_FLAG, type Command } from './command.js';

const flags = {
  out: { type: 'string', value: 'FILE', description: 'where to write the HTML (default: RUN_DIR/report.html)' },
  ...DATA_DIR_FLAG,
  ...COMMON_FLAGS,
} as const;

export const reportCommand: Command = {
  name: 'report',
  summary: "rebuild a run folder's report.html: curves, test results, misclassified digits, first layer",
  usage: ['report RUN_DIR [--out FILE] [--data-dir DIR] [--json]'],
  flags,
  details: `One self-contained HTML file (inline SVG and images, no script, nothing from the network),
made from the run folder's own files: run.json, config.resolved.yaml, metrics.jsonl, summary.json,
evaluation.json and the model (model/, or the latest checkpoint of an unfinished run). The test
digits are reloaded from the test set as the run's config names it; --data-dir says where it is
now if it moved. Works on finished, interrupted, diverged and running runs; what a run does not
have yet (no test results before it finishes) is left out. Prints the path written.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'report');
    if (positionals.length !== 1) {
      throw usageError(`runner report takes one RUN_DIR (a folder runner train wrote), got ${positionals.length}. See runner report --help.`);
    }
    const reporter = createReporter(io, options.json);
    const { file, warnings } = await writeRunReport(positionals[0]!, {
      cwd: io.cwd,
      env: io.env,
      ...(options['data-dir'] === undefined ? {} : { dataDir: options['data-dir'] }),
      ...(options.out === undefined ? {} : { out: options.out }),
    });
    for (const message of warnings) reporter.emit({ event: 'warning', message });
    const shown = displayPath(file, io.cwd);
    reporter.result(shown, { event: 'report', path: shown });
    return EXIT.ok;
  },
};
