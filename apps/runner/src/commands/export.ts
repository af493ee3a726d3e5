import { ONNX_OPSETS } from '@scratchnet/onnx';
import { parseArgs } from '../args.js';
import { selectBackend } from '../backend.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { PLUGINS_FLAG } from '../model-plugins.js';
import { DEFAULT_ONNX_FILE, exportModelDir } from '../onnx/export-onnx.js';
import { COMMON_FLAGS, type Command } from './command.js';

const FORMATS = ['onnx'] as const;

const flags = {
  format: { type: 'string', value: 'FORMAT', description: 'the file format to write: onnx (the only one)' },
  out: { type: 'string', value: 'FILE', description: `the file to write (default MODEL_DIR/${DEFAULT_ONNX_FILE}, beside model.json)` },
  opset: { type: 'string', value: 'N', description: `ONNX operator set version, ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max} (default ${ONNX_OPSETS.default})` },
  'no-preprocess': { type: 'boolean', description: "leave the model's preprocessing out: the ONNX model then takes preprocessed input" },
  overwrite: { type: 'boolean', description: 'replace the output file if it exists' },
  ...PLUGINS_FLAG,
  ...COMMON_FLAGS,
} as const;

/** --opset as an integer in ONNX_OPSETS' range; a usage error saying the range otherwise. */
function parseOpset(value: string | undefined): number {
  if (value === undefined) return ONNX_OPSETS.default;
  const opset = Number(value);
  if (!/^\d+$/.test(value) || opset < ONNX_OPSETS.min || opset > ONNX_OPSETS.max) {
    throw usageError(
      `--opset must be an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}, got ${value}. Opset ${ONNX_OPSETS.default} (the default) runs in ` +
        'every ONNX Runtime since 1.12; pick an older one only for an older runtime.',
    );
  }
  return opset;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a trained model as an ONNX file for ONNX Runtime and other ONNX tools',
  usage: ['export MODEL_DIR --format onnx [--out FILE] [--opset N] [--no-preprocess] [--overwrite] [--json]'],
  flags,
  details: `MODEL_DIR is a model folder (RUN/model), a run folder, or RUN/checkpoints.
The ONNX model takes what runner predict takes: input "input" [N, ...raw sample shape] (e.g.
[N, 1, 28, 28] for MNIST), float32 pixel values as stored (0..255), with the model's preprocessing
(scale, standardise, flatten) as operators in front; --no-preprocess leaves it out and the input
is then model.input, preprocessed. N (the batch) is dynamic. The output is "probabilities" [N,
classes] (the softmax that softmax-cross-entropy applies), or "scores" for quadratic and
sum-squared-error; the class names are in the metadata (classNames, a JSON list).
Every built-in layer maps to ONNX operators; a plugin layer needs a toOnnx hook (see
docs/plugins.md), otherwise the export stops naming the layer: exit code 2. An existing output
file is kept unless --overwrite (exit code 5); the file is written atomically.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'export');
    if (positionals.length !== 1) throw usageError('runner export needs exactly one MODEL_DIR. See runner export --help.');
    if (options.format === undefined) throw usageError('runner export needs --format onnx (the only format so far).');
    if (!(FORMATS as readonly string[]).includes(options.format)) {
      throw usageError(`--format ${options.format} is not supported; the formats are: ${FORMATS.join(', ')}. Use --format onnx.`);
    }
    const opset = parseOpset(options.opset);
    // Only the stored weights are read: the JS kernels are enough and start at once.
    const backend = selectBackend('js');
    try {
      const { file, bytes, model, exported } = await exportModelDir(positionals[0]!, {
        cwd: io.cwd,
        backend,
        opset,
        preprocess: !options['no-preprocess'],
        overwrite: options.overwrite,
        plugins: options.plugins,
        ...(options.out === undefined ? {} : { out: options.out }),
      });
      const reporter = createReporter(io, options.json);
      for (const message of [...model.warnings, ...exported.warnings]) reporter.emit({ event: 'warning', message });
      const shape = (dims: readonly (number | string)[]): string => `[${dims.join(', ')}]`;
      const shown = displayPath(file, io.cwd);
      reporter.result(
        `exported ${displayPath(model.dir, io.cwd)} to ${shown} (ONNX opset ${opset}, ${bytes} bytes): ` +
          `input ${exported.input.name} ${shape(exported.input.shape)} -> output ${exported.output.name} ${shape(exported.output.shape)}`,
        {
          event: 'exported',
          model: displayPath(model.dir, io.cwd),
          file: shown,
          format: 'onnx',
          opset,
          bytes,
          input: exported.input,
          output: exported.output,
          preprocess: !options['no-preprocess'],
          classNames: model.loaded.classNames,
        },
      );
      return EXIT.ok;
    } finally {
      await backend.dispose();
    }
  },
};
