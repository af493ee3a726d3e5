import { formatShape, shapeSize } from '@scratchnet/tensor';
import { predict } from '@scratchnet/train';
import { parseArgs } from '../args.js';
import { selectBackend } from '../backend.js';
import { createBuiltinRegistry } from '../builtins.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { imageSize } from '../data/png-input.js';
import { readPredictInput } from '../data/predict-input.js';
import { applyPreprocess } from '../data/preprocess.js';
import { dataError, EXIT, usageError } from '../exit-codes.js';
import type { InputFormat } from '../run-dir/model-files.js';
import { readModelDir } from '../run-dir/model-files.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = {
  top: { type: 'string', value: 'K', description: 'also show the K most likely classes (default 3)' },
  ...COMMON_FLAGS,
} as const;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'classify images with a trained model (PNG, 32x32 text digits, idx)',
  usage: ['predict MODEL_DIR FILE... [--top K] [--json]'],
  flags,
  details: `A PNG is scaled and centred the way the model's training data was: MNIST-style
models get the digit fitted into 20x20 and centred by mass in 28x28; 8x8 sklearn-style models get
4x4 ink counts of a 32x32 bitmap; 32x32 binary models a thresholded bitmap. Dark-on-light and
light-on-dark pictures both work. An idx images file yields one prediction per image.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'predict');
    const [modelDir, ...files] = positionals;
    if (modelDir === undefined || files.length === 0) throw usageError('runner predict needs MODEL_DIR and at least one FILE. See runner predict --help.');
    const top = options.top === undefined ? 3 : Number(options.top);
    if (!Number.isInteger(top) || top < 1) throw usageError(`--top must be a positive integer, got ${options.top}.`);
    const registry = createBuiltinRegistry();
    registry.freeze();
    const model = await readModelDir(modelDir, io.cwd, registry, selectBackend('auto'));
    const { network, loss, preprocess, classNames } = model.loaded;
    const input: InputFormat = model.input ?? fallbackInput(network.inputShape);
    const reporter = createReporter(io, options.json);

    for (const file of files) {
      const raw = await readPredictInput(file, io.cwd, input);
      const prepared = applyPreprocess(preprocess, registry, { images: raw.images, sampleShape: raw.sampleShape });
      if (shapeSize(prepared.sampleShape) !== shapeSize(network.inputShape)) {
        throw dataError(
          `${file} holds samples of ${formatShape(raw.sampleShape)}, but the model in ${displayPath(model.dir, io.cwd)} expects ` +
            `${formatShape(network.inputShape)} (${shapeSize(network.inputShape)} values). Give images of the kind it was trained on, or a PNG.`,
        );
      }
      const result = predict(network, loss, prepared.images, prepared.sampleShape);
      const classes = classNames.length;
      for (let i = 0; i < raw.count; i++) {
        const probabilities = Array.from(result.probabilities.data.subarray(i * classes, (i + 1) * classes));
        const ranked = probabilities.map((p, c) => ({ name: classNames[c]!, p })).sort((a, b) => b.p - a.p);
        const best = ranked[0]!;
        const label = raw.count > 1 ? `${file}[${i}]` : file;
        const others = ranked
          .slice(0, top)
          .map((r) => `${r.name} ${(r.p * 100).toFixed(1)}%`)
          .join(', ');
        reporter.result(`${label}: ${best.name} (${others})`, {
          event: 'prediction',
          file,
          ...(raw.count > 1 ? { index: i } : {}),
          class: best.name,
          probability: best.p,
          probabilities: Object.fromEntries(probabilities.map((p, c) => [classNames[c]!, p])),
        });
      }
    }
    return EXIT.ok;
  },
};

/** For a model folder without input.json: a square grey image in 0..1. */
function fallbackInput(shape: readonly number[]): InputFormat {
  const { rows, cols } = imageSize(shape);
  return { format: 'scratchnet-input', formatVersion: 1, dataset: 'unknown', sampleShape: [rows, cols], min: 0, max: 1, binary: false };
}
