import type { OnnxNode, PluginOptions, PreprocessState } from '@scratchnet/spec';
import { OnnxExportError } from './export-error.js';
import type { GraphBuilder, NodeSource } from './graph-builder.js';

/** One stored preprocessing step as model.json has it. */
export interface PreprocessStep {
  readonly options: PluginOptions;
  readonly state: PreprocessState;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const float32 = (shape: readonly number[], values: ArrayLike<number>) => ({ shape, data: Float32Array.from(values) });

/**
 * Preprocessing step `index` of model.json as nodes from `input` to a new value; returns that
 * value and the per-sample shape it has. The arithmetic is @scratchnet/datasets':
 * - scale: x / divisor -> Div by a float32 scalar;
 * - standardise: (x − mean) / s with s = std where std > epsilon, else 1 -> Sub, Div, with
 *   scalars (global) or tensors of the sample's shape (perPixel; broadcast over the batch);
 * - flatten: -> Flatten (axis 1).
 * scratchnet computes scale and standardise in float64 and rounds once; ONNX Runtime computes
 * in float32 with the constants rounded to float32: a difference of an ulp or so, at most.
 * Any other step (a plugin's) has no mapping: an OnnxExportError that names it and says how to
 * export without it.
 */
export function preprocessNodes(
  builder: GraphBuilder,
  index: number,
  step: PreprocessStep,
  input: string,
  shape: readonly number[],
): { readonly output: string; readonly shape: readonly number[] } {
  const { options, state } = step;
  const source: NodeSource = { path: ['preprocess', index], type: options.type, plugin: false };
  const name = (hint: string): string => `preprocess.${index}.${hint}`;
  const fail = (message: string): OnnxExportError => new OnnxExportError({ path: source.path, plugin: options.type, message });
  const output = builder.uniqueName(name('output'));
  let nodes: OnnxNode[];
  let outputShape = shape;
  switch (options.type) {
    case 'scale': {
      const divisor = (options['divisor'] as number | undefined) ?? 255;
      nodes = [{ opType: 'Div', inputs: [input, builder.addInitializer(name('divisor'), float32([], [divisor]), source)], outputs: [output] }];
      break;
    }
    case 'standardise': {
      const perPixel = (options['perPixel'] as boolean | undefined) ?? false;
      const epsilon = (options['epsilon'] as number | undefined) ?? 1e-8;
      const statistic = (key: 'mean' | 'std'): readonly number[] => {
        const value = state[key];
        if (!perPixel && typeof value === 'number') return [value];
        if (perPixel && Array.isArray(value) && value.length === size(shape) && value.every((v) => typeof v === 'number')) return value as number[];
        throw fail(
          `expected state.${key} to be ${perPixel ? `a list of ${size(shape)} numbers (one per value of a ${JSON.stringify(shape)} sample)` : 'a number'}, ` +
            `found ${JSON.stringify(value)}. The stored preprocessing does not fit the input shape; check the raw input shape, or export with --no-preprocess.`,
        );
      };
      const statShape = perPixel ? shape : [];
      const mean = builder.addInitializer(name('mean'), float32(statShape, statistic('mean')), source);
      const divisor = builder.addInitializer(name('std'), float32(statShape, statistic('std').map((std) => (std > epsilon ? std : 1))), source);
      const centred = builder.uniqueName(name('centred'));
      nodes = [
        { opType: 'Sub', inputs: [input, mean], outputs: [centred] },
        { opType: 'Div', inputs: [centred, divisor], outputs: [output] },
      ];
      break;
    }
    case 'flatten':
      nodes = [{ opType: 'Flatten', inputs: [input], outputs: [output], attributes: { axis: { int: 1 } } }];
      outputShape = [size(shape)];
      break;
    default:
      throw fail(
        'this preprocessing step has no ONNX mapping (only scale, standardise and flatten have one). Export with --no-preprocess ' +
          '(the ONNX model then takes the preprocessed input) and apply the step before running it.',
      );
  }
  builder.addNodes(nodes, source, output);
  return { output, shape: outputShape };
}
