import { formatShape } from '@scratchnet/tensor';
import { inferShapes } from '@scratchnet/train';
import { parseArgs } from '../args.js';
import { loadExperimentFile } from '../config/load-config.js';
import { overridesFromFlags } from '../config/overrides.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { renderTable } from '../output/format.js';
import { COMMON_FLAGS, CONFIG_FLAGS, type Command } from './command.js';

const flags = { ...CONFIG_FLAGS, ...COMMON_FLAGS } as const;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a config (plugins, options, shapes) without training',
  usage: ['validate CONFIG [--set PATH=VALUE]... [--seed N] [--json]'],
  flags,
  details: 'Reports every problem at once, each at file:line:col. Writes nothing.',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'validate');
    if (positionals.length !== 1) throw usageError('runner validate needs exactly one CONFIG file. See runner validate --help.');
    const loaded = await loadExperimentFile(positionals[0]!, io.cwd, overridesFromFlags(options));
    const shapes = inferShapes(loaded.experiment.model, loaded.registry);
    const reporter = createReporter(io, options.json);
    const rows = [
      ['layer', 'type', 'output'],
      ['input', '', formatShape(shapes.inputShape)],
      ...shapes.layers.map((layer, i) => [String(i), layer.type, formatShape(layer.outputShape)]),
    ];
    reporter.result(`${loaded.source.displayName} is valid.\n${renderTable(rows, { alignRight: false })}`, {
      event: 'valid',
      config: loaded.source.displayName,
      experiment: loaded.experiment,
      shapes: { input: shapes.inputShape, layers: shapes.layers },
    });
    return EXIT.ok;
  },
};
