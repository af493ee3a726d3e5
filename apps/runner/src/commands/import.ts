import { SUPPORTED_OPS } from '@scratchnet/onnx';
import { parseArgs } from '../args.js';
import { createBuiltinRegistry } from '../builtins.js';
import { selectBackend } from '../backend.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { importOnnxFile } from '../onnx/import-folder.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = {
  out: { type: 'string', value: 'MODEL_DIR', description: 'the model folder to write (model.json, weights.safetensors, input.json)' },
  overwrite: { type: 'boolean', description: 'replace the files of an earlier model folder in --out' },
  ...COMMON_FLAGS,
} as const;

export const importCommand: Command = {
  name: 'import',
  summary: 'turn an ONNX model (e.g. from torch.onnx.export) into a scratchnet model folder',
  usage: ['import MODEL.onnx --out MODEL_DIR [--overwrite] [--json]'],
  flags,
  details: `The graph must be a chain from one input [N, ...] to one output, of these operators:
${SUPPORTED_OPS.join(', ')}.
Weights are copied into scratchnet's layouts (Gemm/MatMul weights transposed to dense [in, units]).
A final Softmax becomes the softmax-cross-entropy loss's probabilities, logits get the same loss
(runner predict shows softmax(logits)), a final Sigmoid the quadratic loss (scores as they are).
Class names come from the metadata key class_names (a JSON list), else 0..K-1. Div/Mul/Sub by
constants before the first layer become the model's preprocessing (e.g. Div 255 -> scale 255,
and pictures given to runner predict are then made 0..255; otherwise 0..1).
The folder works with eval, predict and serve, and train --init-from MODEL_DIR fine-tunes it.
A file that cannot be read or mapped (an unsupported operator, a branch, a missing or
mis-sized weight) is reported with the node's index, name and op_type: exit code 3.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'import');
    if (positionals.length !== 1) throw usageError('runner import needs exactly one MODEL.onnx file. See runner import --help.');
    if (options.out === undefined) throw usageError('runner import needs --out MODEL_DIR, the model folder to write.');
    const file = positionals[0]!;
    const registry = createBuiltinRegistry();
    registry.freeze();
    // Only weights are set and serialised: the JS kernels are enough and start at once.
    const backend = selectBackend('js');
    try {
      const { dir, imported } = await importOnnxFile(file, options.out, { cwd: io.cwd, registry, backend, overwrite: options.overwrite });
      const shown = displayPath(dir, io.cwd);
      const reporter = createReporter(io, options.json);
      const parameters = [...imported.tensors.values()].reduce((sum, t) => sum + t.data.length, 0);
      reporter.result(
        `imported ${file} (${imported.producer ?? 'unknown producer'}): ${imported.layers.length} layers, ${parameters} weights, ` +
          `input [${imported.input.join(', ')}], ${imported.classNames.length} classes -> ${shown}`,
        {
          event: 'imported',
          file,
          modelDir: shown,
          layers: imported.layers.map((layer) => layer.type),
          input: imported.input,
          classNames: imported.classNames,
          ending: imported.ending,
          preprocess: imported.preprocess.map((step) => step.options.type),
        },
      );
      return EXIT.ok;
    } finally {
      await backend.dispose();
    }
  },
};
