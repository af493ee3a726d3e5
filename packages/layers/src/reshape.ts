import { SPEC_VERSION, ShapeError, defineLayer, requireSampleShape } from '@scratchnet/spec';
import { type Shape, formatShape, shapeSize } from '@scratchnet/tensor';
import { viewLayer } from './view-layer.js';

export interface ReshapeOptions {
  /** The per-sample output shape: integers >= 1 holding as many values as the input. */
  readonly shape: readonly number[];
}

/** Shapes of `size` values to suggest: [size], and [1, s, s] when size is a square. */
function examples(size: number): string {
  const side = Math.round(Math.sqrt(size));
  return side >= 2 && side * side === size ? `[${size}] or [1, ${side}, ${side}]` : `[${size}]`;
}

/** `shape` when it holds as many values as `inputShape`; a ShapeError naming both otherwise. */
function checkedShape(inputShape: Shape, shape: Shape): Shape {
  requireSampleShape('reshape', inputShape);
  const size = shapeSize(inputShape);
  if (shapeSize(shape) !== size) {
    throw new ShapeError(
      undefined,
      'reshape',
      `${shapeSize(shape)} values per sample (shape: ${formatShape(shape)})`,
      `${formatShape(inputShape)} (${size} values)`,
      `Give reshape a shape of ${size} values, e.g. ${examples(size)}.`,
    );
  }
  return shape;
}

/**
 * Per-sample reshape, row-major: [d1, d2, ...] -> `shape` with the same number of values (e.g.
 * [784] -> [1, 28, 28] before a conv layer). Forward and backward are reshapes of the same
 * memory (no copy); given buffers, the same tensor gets the same view object back, so a
 * training step creates nothing here (as in flatten).
 */
export const reshape = defineLayer<ReshapeOptions>({
  kind: 'layer',
  type: 'reshape',
  specVersion: SPEC_VERSION,
  description: 'Reshapes each sample to a shape with the same number of values (row-major, no copy)',
  optionsSchema: {
    type: 'object',
    properties: {
      shape: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        minItems: 1,
        description: 'Per-sample output shape, e.g. [1, 28, 28]; must hold as many values as the input.',
      },
    },
    required: ['shape'],
    additionalProperties: false,
  },
  outputShape(inputShape, { shape }) {
    return [...checkedShape(inputShape, shape)];
  },
  create({ shape }, context) {
    return viewLayer(checkedShape(context.inputShape, [...shape]), context.inputGradient !== false);
  },
});
