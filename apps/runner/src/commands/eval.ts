import { formatShape, shapeSize } from '@scratchnet/tensor';
import { createPreprocess, evaluate } from '@scratchnet/train';
import { parseArgs } from '../args.js';
import { selectBackend } from '../backend.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, dataDirOf, type CliIo } from '../context.js';
import { parseDataFlag } from '../data/data-flag.js';
import { createDataSource, loadDataset } from '../data/load-data.js';
import { dataError, EXIT, usageError } from '../exit-codes.js';
import { formatLoss, formatPercent, renderTable } from '../output/format.js';
import { PLUGINS_FLAG } from '../model-plugins.js';
import { readModelDir } from '../run-dir/model-files.js';
import { COMMON_FLAGS, DATA_DIR_FLAG, type Command } from './command.js';

const flags = {
  data: { type: 'string', value: 'TYPE:PATH[,PATH]', description: 'labelled data to evaluate on, e.g. mnist:test, txt32:testDigits' },
  ...DATA_DIR_FLAG,
  ...PLUGINS_FLAG,
  ...COMMON_FLAGS,
} as const;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure a trained model on labelled data (loss, accuracy, confusion matrix)',
  usage: ['eval MODEL_DIR --data TYPE:PATH[,PATH] [--plugins NAME|PATH]... [--json]'],
  flags,
  details: `MODEL_DIR is a model folder (RUN/model), a run folder, or RUN/checkpoints.
--data examples: sklearn-digits-json:digits.json  txt32:digits32/testDigits
  idx:t10k-images-idx3-ubyte,t10k-labels-idx1-ubyte  mnist:test  txt32:dir=testDigits,take=100
The model's preprocessing is applied to the data first. Data whose samples do not fit the
model (e.g. 28x28 images for an 8x8 model) is bad input data: exit code 3.
A model trained with plugins records them in model.json and they are loaded again from there;
--plugins loads a package or module instead (e.g. after moving the run folder).`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'eval');
    if (positionals.length !== 1) throw usageError('runner eval needs exactly one MODEL_DIR. See runner eval --help.');
    if (options.data === undefined) throw usageError('runner eval needs --data TYPE:PATH, e.g. --data mnist:test. See runner eval --help.');
    const model = await readModelDir(positionals[0]!, io.cwd, { backend: selectBackend('auto'), plugins: options.plugins });
    const reporter = createReporter(io, options.json);
    for (const message of model.warnings) reporter.emit({ event: 'warning', message });
    const { registry } = model;
    const dataOptions = parseDataFlag(options.data, registry);
    const source = createDataSource(io.cwd, dataDirOf(options['data-dir'], io));
    const raw = await loadDataset(registry, dataOptions, ['--data'], source);
    const { network, loss, preprocess, classNames } = model.loaded;
    // Run per batch, as training ran it: the data set stays as loaded.
    const prepared = createPreprocess(preprocess, registry, raw.sampleShape);
    if (shapeSize(prepared.outputShape) !== shapeSize(network.inputShape)) {
      throw dataError(
        `--data ${options.data} has samples of ${formatShape(raw.sampleShape)} (${shapeSize(prepared.outputShape)} values after the model's preprocessing), ` +
          `but the model in ${displayPath(model.dir, io.cwd)} expects input ${formatShape(network.inputShape)} (${shapeSize(network.inputShape)} values). ` +
          'Evaluate it on data of the kind it was trained on.',
      );
    }
    const result = evaluate(network, loss, { ...raw, preprocess: prepared });
    const correct = Math.round(result.accuracy * result.count);
    const header = ['label \\ predicted', ...classNames];
    const rows = result.confusion.map((row, label) => [classNames[label] ?? String(label), ...row.map(String)]);
    const text =
      `${displayPath(model.dir, io.cwd)} on ${raw.source}: accuracy ${formatPercent(result.accuracy)} (${correct}/${result.count}), loss ${formatLoss(result.loss)}\n\n` +
      renderTable([header, ...rows]);
    reporter.result(text, {
      event: 'evaluation',
      model: displayPath(model.dir, io.cwd),
      data: raw.source,
      count: result.count,
      loss: result.loss,
      accuracy: result.accuracy,
      confusion: result.confusion,
      classNames,
    });
    return EXIT.ok;
  },
};
