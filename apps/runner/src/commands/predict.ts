import { defaultSampleFormat, type DigitSampleFormat } from '@scratchnet/datasets';
import { formatShape, shapeSize } from '@scratchnet/tensor';
import { isScratchnetError } from '@scratchnet/spec';
import { createPreprocess, predict } from '@scratchnet/train';
import { parseArgs } from '../args.js';
import { selectBackend } from '../backend.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { blankSamples, readPredictInput } from '../data/predict-input.js';
import { classify, dataError, EXIT, usageError } from '../exit-codes.js';
import type { ErrorEvent } from '../output/events.js';
import { PLUGINS_FLAG } from '../model-plugins.js';
import { readModelDir } from '../run-dir/model-files.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = {
  top: { type: 'string', value: 'K', description: 'also show the K most likely classes (default 3)' },
  ...PLUGINS_FLAG,
  ...COMMON_FLAGS,
} as const;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'classify images with a trained model (PNG, JPEG, 32x32 text digits, idx)',
  usage: ['predict MODEL_DIR FILE... [--top K] [--plugins NAME|PATH]... [--json]'],
  flags,
  details: `A PNG or JPEG (recognised by its bytes, not its name) is scaled and centred the way the
model's training data was: MNIST-style models get the digit fitted into 20x20 and centred by mass
in 28x28; 8x8 sklearn-style models get 4x4 ink counts of a 32x32 bitmap; 32x32 binary models a
thresholded bitmap. The paper is estimated from the picture itself, so photos work: dark-on-light
or light-on-dark, tinted paper, coloured ink, light shadows and gradients, sensor noise. Keep one
digit per picture, filling a good part of it. An idx images file yields one prediction per image.
A bad or blank file (no ink) is reported and the others are still predicted; the exit code is then 3.
Models whose loss gives independent per-class scores (quadratic, sum-squared-error: sigmoid
outputs, not summing to 1) show scores instead of percentages.
Plugins the model records in model.json are loaded from there; --plugins loads others instead.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'predict');
    const [modelDir, ...files] = positionals;
    if (modelDir === undefined || files.length === 0) throw usageError('runner predict needs MODEL_DIR and at least one FILE. See runner predict --help.');
    const top = options.top === undefined ? 3 : Number(options.top);
    if (!Number.isInteger(top) || top < 1) throw usageError(`--top must be a positive integer, got ${options.top}.`);
    const model = await readModelDir(modelDir, io.cwd, { backend: selectBackend('auto'), plugins: options.plugins });
    const { registry } = model;
    const { network, loss, preprocess, classNames } = model.loaded;
    const input: DigitSampleFormat = model.input ?? defaultSampleFormat(network.inputShape);
    const reporter = createReporter(io, options.json);
    for (const message of model.warnings) reporter.emit({ event: 'warning', message });

    // A loss whose probabilities() are independent per-class scores (sigmoid outputs trained
    // with a squared error) says so; they need not sum to 1, so they are not shown as %.
    const scored = loss.outputs === 'scores';
    let bad = 0;
    /** A file (or one image of an idx file) that gets no prediction; the others go on. */
    const reportBad = (file: string, message: string, extra: { code?: string; index?: number } = {}): void => {
      bad++;
      const event: ErrorEvent & { file: string; index?: number } = { event: 'error', exitCode: EXIT.badData, file, ...extra, message };
      reporter.emit(event);
    };

    for (const file of files) {
      try {
        const raw = await readPredictInput(file, io.cwd, input);
        const prepared = createPreprocess(preprocess, registry, raw.sampleShape);
        if (shapeSize(prepared.outputShape) !== shapeSize(network.inputShape)) {
          throw dataError(
            `${file} holds samples of ${formatShape(raw.sampleShape)}, but the model in ${displayPath(model.dir, io.cwd)} expects ` +
              `${formatShape(network.inputShape)} (${shapeSize(network.inputShape)} values). Give images of the kind it was trained on, or a PNG.`,
          );
        }
        const blank = new Set(blankSamples(raw));
        if (blank.size === raw.count && raw.count > 0) {
          const label = raw.count > 1 ? `${file} (all ${raw.count} images)` : file;
          reportBad(file, `no ink found in ${label}: every pixel is the background value, so there is nothing to classify.`);
          continue;
        }
        // Preprocessed per batch, as training did.
        const result = predict(network, loss, raw.images, raw.sampleShape, { preprocess: prepared });
        const classes = classNames.length;
        for (let i = 0; i < raw.count; i++) {
          const label = raw.count > 1 ? `${file}[${i}]` : file;
          if (blank.has(i)) {
            reportBad(file, `no ink found in ${label}: every pixel is the background value, so there is nothing to classify.`, { index: i });
            continue;
          }
          const values = Array.from(result.probabilities.data.subarray(i * classes, (i + 1) * classes));
          const ranked = values.map((p, c) => ({ name: classNames[c]!, p })).sort((a, b) => b.p - a.p);
          const best = ranked[0]!;
          const others = ranked
            .slice(0, top)
            .map((r) => `${r.name} ${scored ? r.p.toFixed(3) : `${(r.p * 100).toFixed(1)}%`}`)
            .join(', ');
          const byClass = Object.fromEntries(values.map((p, c) => [classNames[c]!, p]));
          reporter.result(`${label}: ${best.name} (${scored ? 'scores ' : ''}${others})`, {
            event: 'prediction',
            file,
            ...(raw.count > 1 ? { index: i } : {}),
            class: best.name,
            ...(scored ? { score: best.p, scores: byClass } : { probability: best.p, probabilities: byClass }),
          });
        }
      } catch (error) {
        const { exitCode, userError } = classify(error);
        if (!userError || exitCode !== EXIT.badData) throw error;
        reportBad(file, error instanceof Error ? error.message : String(error), isScratchnetError(error) ? { code: error.code } : {});
      }
    }
    return bad > 0 ? EXIT.badData : EXIT.ok;
  },
};
