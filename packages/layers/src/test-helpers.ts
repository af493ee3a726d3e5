import { type LayerPlugin, type Mode, ShapeError } from '@scratchnet/spec';
import { type Shape, Tensor } from '@scratchnet/tensor';
import { createTestContext, optionsWithDefaults } from '@scratchnet/testkit';
import { expect } from 'vitest';

/** Builds `plugin` for `inputShape` (float64, seed 1) and runs one forward on `values`. */
export function forwardValues<O>(
  plugin: LayerPlugin<O>,
  options: Partial<O>,
  inputShape: Shape,
  values: readonly number[],
  mode: Mode = 'eval',
) {
  const context = createTestContext({ inputShape, seed: 1 });
  const layer = plugin.create(optionsWithDefaults(plugin, options), context);
  const input = Tensor.from([values.length / inputShape.reduce((a, b) => a * b, 1), ...inputShape], values, 'float64');
  return { layer, context, input, result: layer.forward(input, mode) };
}

/** Per-sample shapes no layer accepts: each must throw ShapeError naming the layer. */
export function expectInvalidShapesRejected<O>(plugin: LayerPlugin<O>, options: Partial<O>): void {
  const full = optionsWithDefaults(plugin, options);
  for (const shape of [[], [0], [3, 0], [2.5]]) {
    expect(() => plugin.outputShape(shape, full)).toThrow(ShapeError);
    expect(() => plugin.outputShape(shape, full)).toThrow(`layer (${plugin.type}): expected input`);
  }
}
