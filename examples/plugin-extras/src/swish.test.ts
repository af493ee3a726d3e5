import { ShapeError, createLayerBuffers } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { checkBatchInvariance, checkGradients, createTestContext, optionsWithDefaults } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { swish } from './swish.js';

function forward(beta: number, values: readonly number[]) {
  const layer = swish.create(optionsWithDefaults(swish, { beta }), createTestContext({ inputShape: [values.length], seed: 1 }));
  return layer.forward(Tensor.from([1, values.length], values, 'float64'), 'eval');
}

describe('swish', () => {
  it('computes x * sigmoid(beta * x)', () => {
    // sigmoid(ln 3) = 3/4 and sigmoid(-ln 3) = 1/4.
    const ln3 = Math.log(3);
    expect([...forward(1, [ln3, -ln3, 0]).output.data]).toEqual([0.75 * ln3, -0.25 * ln3, 0].map((v) => expect.closeTo(v, 14)));
    expect(forward(2, [ln3 / 2]).output.data[0]).toBeCloseTo(0.375 * ln3, 14);
  });

  it('has slope 1/2 at 0 and tends to the identity for large x', () => {
    const { backward } = forward(1, [0, 30]);
    expect([...backward(Tensor.from([1, 2], [1, 1], 'float64'), {})!.data].map((v) => +v.toFixed(9))).toEqual([0.5, 1]);
  });

  it('passes the gradient check for several betas and seeds', () => {
    for (const beta of [1, 0.5, 2.5]) {
      expect(checkGradients(swish, { beta }, { inputShape: [2, 3], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('writes into its buffers when given them and skips dx when built with inputGradient: false', () => {
    const context = createTestContext({ inputShape: [3], seed: 1 });
    const layer = swish.create(optionsWithDefaults(swish, { beta: 2 }), context);
    const buffers = createLayerBuffers(context.backend);
    const x = Tensor.from([1, 3], [0.5, -1, 2], 'float64');
    const dy = Tensor.from([1, 3], [1, 2, -1], 'float64');
    const first = layer.forward(x, 'train', buffers);
    expect(first.output).toBe(buffers.get('output', [1, 3], 'float64'));
    expect(first.backward(dy, {})).toBe(buffers.get('inputGrad', [1, 3], 'float64'));
    expect(layer.forward(x, 'train', buffers).output).toBe(first.output);
    const skipping = swish.create(optionsWithDefaults(swish, { beta: 2 }), createTestContext({ inputShape: [3], seed: 1, inputGradient: false }));
    expect(skipping.forward(x, 'train').backward(dy, {})).toBeUndefined();
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(swish, { beta: 1.5 }, { inputShape: [4], seed: 3 }).compared).toBe(5 * 4 * 2);
  });

  it('keeps any valid shape and names itself by its registered id when a shape is invalid', () => {
    expect(swish.outputShape([1, 28, 28], { type: 'extras/swish', beta: 1 })).toEqual([1, 28, 28]);
    expect(() => swish.outputShape([3, 0], { type: 'extras/swish', beta: 1 })).toThrow(ShapeError);
    expect(() => swish.outputShape([], { type: 'extras/swish', beta: 1 })).toThrow('layer (extras/swish): expected input [d1, d2, ...]');
  });

  it('maps to ONNX as x * Sigmoid(beta * x), with the Mul by beta only when beta is not 1', () => {
    const initialisers: Record<string, unknown> = {};
    const context = (beta: number) => ({
      index: 2,
      options: { type: 'extras/swish', beta },
      input: 'x',
      output: 'y',
      inputShape: [4],
      outputShape: [4],
      opset: 17,
      parameters: {},
      state: {},
      addInitializer: (name: string, tensor: unknown) => ((initialisers[`layers.2.${name}`] = tensor), `layers.2.${name}`),
      uniqueName: (hint: string) => `layers.2.${hint}`,
    });
    expect(swish.toOnnx!(context(1))).toEqual([
      { opType: 'Sigmoid', inputs: ['x'], outputs: ['layers.2.gate'] },
      { opType: 'Mul', inputs: ['x', 'layers.2.gate'], outputs: ['y'] },
    ]);
    expect(swish.toOnnx!(context(2.5)).map((node) => [node.opType, ...node.inputs, '->', ...node.outputs])).toEqual([
      ['Mul', 'x', 'layers.2.beta', '->', 'layers.2.scaled'],
      ['Sigmoid', 'layers.2.scaled', '->', 'layers.2.gate'],
      ['Mul', 'x', 'layers.2.gate', '->', 'y'],
    ]);
    expect(initialisers['layers.2.beta']).toEqual({ shape: [], data: Float32Array.of(2.5) });
  });
});
