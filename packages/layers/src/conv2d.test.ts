import { createRegistry } from '@scratchnet/registry';
import { type InitialiserPlugin, SPEC_VERSION, ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin, optionsWithDefaults } from '@scratchnet/testkit';
import { Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { type Conv2dOptions, conv2d } from './conv2d.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { forwardValues } from './test-helpers.js';

/** Options as the registry hands them over (defaults filled). */
const full = (options: Partial<Conv2dOptions>) => optionsWithDefaults<Conv2dOptions>(conv2d, options);
const shapeOf = (inputShape: readonly number[], options: Partial<Conv2dOptions>) => conv2d.outputShape(inputShape, full(options));

describe('conv2d', () => {
  it('computes the cross-correlation plus bias and its gradients', () => {
    const { layer, input } = forwardValues(conv2d, { filters: 1, kernelSize: 2 }, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    layer.params['weight']!.data.set([1, 2, 3, 4]);
    layer.params['bias']!.data.set([0.5]);
    const result = layer.forward(input, 'eval');
    // y[0, 0] = 1*1 + 2*2 + 4*3 + 5*4 + 0.5, and the window moves one step right / down.
    expect(result.output.shape).toEqual([1, 1, 2, 2]);
    expect([...result.output.data]).toEqual([37.5, 47.5, 67.5, 77.5]);
    const grads = { weight: Tensor.zeros([1, 1, 2, 2], 'float64'), bias: Tensor.zeros([1], 'float64') };
    const dx = result.backward(Tensor.from([1, 1, 2, 2], [1, 0, 0, 1], 'float64'), grads);
    // dW[p, q] = x[p, q] + x[p + 1, q + 1]; db = Σ dy; dx = W placed at (0, 0) plus W placed at (1, 1).
    expect([...grads.weight.data]).toEqual([6, 8, 12, 14]);
    expect([...grads.bias.data]).toEqual([2]);
    expect(dx?.shape).toEqual([1, 1, 3, 3]);
    expect([...dx!.data]).toEqual([1, 2, 0, 3, 5, 2, 0, 3, 4]);
  });

  it('pads with zeros: padding same keeps a 3x3 image 3x3', () => {
    const { layer, input } = forwardValues(conv2d, { filters: 1, kernelSize: 3, padding: 'same', useBias: false }, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    layer.params['weight']!.data.fill(1);
    // Each output is the sum of the 3x3 neighbourhood inside the image.
    expect([...layer.forward(input, 'eval').output.data]).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('creates weight [filters, channels, kh, kw] and bias [filters] with their initialisers and fan, decaying only the weight', () => {
    const calls: unknown[] = [];
    const context = createTestContext({ inputShape: [3, 8, 8], seed: 1 });
    const spy = {
      ...context,
      initialise: (ref: unknown, shape: readonly number[], fan: { fanIn: number; fanOut: number }) => {
        calls.push([ref, shape, fan]);
        return context.initialise('ignored', shape, fan);
      },
    };
    const options = full({ filters: 4, kernelSize: [3, 2], biasInit: { type: 'constant', value: 0.1 } });
    const layer = conv2d.create(options, spy);
    expect(calls).toEqual([
      ['he-uniform', [4, 3, 3, 2], { fanIn: 18, fanOut: 24 }],
      [{ type: 'constant', value: 0.1 }, [4], { fanIn: 18, fanOut: 24 }],
    ]);
    expect(Object.keys(layer.params)).toEqual(['weight', 'bias']);
    expect(layer.decayed).toEqual(['weight']);
    const noBias = conv2d.create(full({ filters: 2, kernelSize: 3, useBias: false }), context);
    expect(Object.keys(noBias.params)).toEqual(['weight']);
  });

  it('works in float32 when the context says so', () => {
    const context = createTestContext({ inputShape: [2, 6, 5], seed: 2, dtype: 'float32' });
    const layer = conv2d.create(full({ filters: 3, kernelSize: 3, stride: 2 }), context);
    expect(layer.params['weight']!.dtype).toBe('float32');
    const { output } = layer.forward(Tensor.from([4, 2, 6, 5], new Array<number>(240).fill(0.5)), 'eval');
    expect(output.dtype).toBe('float32');
    expect(output.shape).toEqual([4, 3, 2, 2]);
  });

  it('declares its defaults, required options and initialiser references in the schema', () => {
    const properties = conv2d.optionsSchema['properties'] as Record<string, { default?: unknown }>;
    expect(properties['stride']?.default).toBe(1);
    expect(properties['padding']?.default).toBe('valid');
    expect(properties['dilation']?.default).toBe(1);
    expect(properties['useBias']?.default).toBe(true);
    expect(properties['weightInit']?.default).toBe('he-uniform');
    expect(properties['biasInit']?.default).toBe('zeros');
    expect(conv2d.optionsSchema['required']).toEqual(['filters', 'kernelSize']);
    expect(conv2d.references).toEqual({ weightInit: 'initialiser', biasInit: 'initialiser' });
  });

  it('outputs [filters, oh, ow] for odd sizes, strides, paddings and dilations', () => {
    expect(shapeOf([1, 28, 28], { filters: 8, kernelSize: 5 })).toEqual([8, 24, 24]);
    expect(shapeOf([3, 7, 9], { filters: 2, kernelSize: 3, stride: 2 })).toEqual([2, 3, 4]);
    expect(shapeOf([3, 7, 9], { filters: 2, kernelSize: 3, stride: 2, padding: 1 })).toEqual([2, 4, 5]);
    expect(shapeOf([3, 7, 9], { filters: 2, kernelSize: [3, 1], stride: [1, 2], padding: [1, 0] })).toEqual([2, 7, 5]);
    // 'same': ceil(input / stride) for any kernel, even ones too.
    expect(shapeOf([1, 5, 6], { filters: 1, kernelSize: 2, padding: 'same' })).toEqual([1, 5, 6]);
    expect(shapeOf([1, 5, 6], { filters: 1, kernelSize: 4, padding: 'same' })).toEqual([1, 5, 6]);
    expect(shapeOf([1, 7, 8], { filters: 1, kernelSize: 4, stride: 2, padding: 'same' })).toEqual([1, 4, 4]);
    expect(shapeOf([1, 7, 8], { filters: 1, kernelSize: 3, stride: 3, padding: 'same', dilation: 2 })).toEqual([1, 3, 3]);
    // dilation 2: a 3x3 kernel spans 5x5.
    expect(shapeOf([2, 9, 8], { filters: 4, kernelSize: 3, dilation: 2 })).toEqual([4, 5, 4]);
    expect(shapeOf([2, 9, 8], { filters: 4, kernelSize: 3, dilation: [2, 1] })).toEqual([4, 5, 6]);
    expect(shapeOf([1, 5, 5], { filters: 1, kernelSize: 5 })).toEqual([1, 1, 1]);
  });

  it('rejects an input that is not [channels, height, width] with a ShapeError suggesting a reshape', () => {
    const options = full({ filters: 4, kernelSize: 3 });
    expect(() => conv2d.outputShape([784], options)).toThrow(ShapeError);
    expect(() => conv2d.outputShape([784], options)).toThrow(
      'layer (conv2d): expected input [channels, height, width] (3-D), got [784]. A conv2d layer needs images: use model.input ' +
        '[1, 28, 28] or add { type: reshape, shape: [1, 28, 28] } before it (after a flatten, move the flatten after the last ' +
        'conv or pooling layer).',
    );
    expect(() => conv2d.outputShape([28, 28], options)).toThrow('add { type: reshape, shape: [1, 28, 28] } before it');
    expect(() => conv2d.outputShape([30], options)).toThrow('got [30]. A conv2d layer needs images: use model.input [1, 28, 28]');
    for (const shape of [[], [1, 2, 3, 4], [3, 0, 5], [3, 5.5, 5]]) expect(() => conv2d.outputShape(shape, options)).toThrow(ShapeError);
    expect(() => conv2d.create(options, createTestContext({ inputShape: [64], seed: 1 }))).toThrow(ShapeError);
  });

  it('rejects a kernel larger than the padded input with a ShapeError naming the shapes and a fix', () => {
    const options = full({ filters: 4, kernelSize: 5 });
    expect(() => conv2d.outputShape([3, 4, 6], options)).toThrow(
      'layer (conv2d): expected input at least [3, 5, 5] for kernelSize [5, 5], dilation [1, 1] and padding [0, 0, 0, 0] ' +
        "(top, left, bottom, right), got [3, 4, 6]. The window does not fit (the output would be [4, 0, 2]): use a smaller " +
        "kernelSize or dilation, padding: 'same', or fewer pooling or strided layers before this one.",
    );
    // Padding counts: a 5x5 kernel fits a 3x3 image padded by 1 on every side.
    expect(shapeOf([1, 3, 3], { filters: 1, kernelSize: 5, padding: 1 })).toEqual([1, 1, 1]);
    expect(() => shapeOf([1, 3, 3], { filters: 1, kernelSize: 3, dilation: 2 })).toThrow(/at least \[1, 5, 5\] for kernelSize \[3, 3\], dilation \[2, 2\]/);
    expect(() => shapeOf([1, 3, 3], { filters: 1, kernelSize: 3, dilation: 2 })).toThrow('got [1, 3, 3]');
    expect(() => conv2d.create(options, createTestContext({ inputShape: [3, 4, 4], seed: 1 }))).toThrow(ShapeError);
    try {
      conv2d.outputShape([3, 2, 2], options);
      expect.fail('no ShapeError');
    } catch (error) {
      expect((error as ShapeError).atLayer(3).message).toMatch(/^model\.layers\[3\] \(conv2d\): expected input at least \[3, 5, 5\]/);
    }
  });

  it('passes the gradient check over 3 seeds for the input, weight and bias', () => {
    const report = checkGradients(conv2d, { filters: 3, kernelSize: 3 }, { inputShape: [3, 5, 5], batch: 2, seeds: [1, 2, 3] });
    expect(Object.keys(report.tensors)).toEqual(['input', 'weight', 'bias']);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });

  it('passes the gradient check with stride 2, even kernels and same padding, dilation and no bias', () => {
    const cases: ReadonlyArray<readonly [Partial<Conv2dOptions>, readonly number[]]> = [
      [{ filters: 2, kernelSize: [2, 3], stride: 2, padding: 'same' }, [3, 5, 6]],
      [{ filters: 2, kernelSize: 2, stride: [1, 2], padding: [1, 0], dilation: 2 }, [2, 5, 5]],
      [{ filters: 5, kernelSize: 1, useBias: false }, [5, 3, 4]],
    ];
    for (const [options, inputShape] of cases) {
      const report = checkGradients(conv2d, options, { inputShape, batch: 2, seeds: [1, 2, 3] });
      expect(Object.keys(report.tensors)).toEqual(options.useBias === false ? ['input', 'weight'] : ['input', 'weight', 'bias']);
      expect(report.maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('treats every sample of a batch independently', () => {
    const options = { filters: 3, kernelSize: 3, stride: 2, padding: 'same' } as const;
    expect(checkBatchInvariance(conv2d, options, { inputShape: [2, 5, 5], seed: 2 }).maxDifference).toBeLessThan(1e-12);
  });

  it('writes into the buffers it is given and allocates nothing on a same-shape step', () => {
    for (const mode of ['train', 'eval'] as const) {
      expectBuffersMatchAllocating(conv2d, { filters: 3, kernelSize: 3, padding: 'same' }, { inputShape: [2, 5, 5], mode });
      expectBuffersMatchAllocating(conv2d, { filters: 2, kernelSize: 2, stride: 2, useBias: false }, { inputShape: [3, 5, 4], mode });
    }
  });

  it('built with inputGradient false, returns undefined and writes the same parameter gradients', () => {
    expectInputGradientSkipped(conv2d, { filters: 3, kernelSize: 3 }, [2, 5, 5]);
    expectInputGradientSkipped(conv2d, { filters: 2, kernelSize: 2, useBias: false }, [3, 4, 4]);
  });

  it('gives the same float32 results on the wasm backend as on the JS backend', () => {
    const options = full({ filters: 4, kernelSize: 3, stride: 2, padding: 'same' });
    const rng = createRng(3);
    const random = (shape: readonly number[]) => Tensor.from(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)));
    const x = random([3, 3, 9, 7]);
    const dy = random([3, ...conv2d.outputShape([3, 9, 7], options)]);
    const run = (backend: ReturnType<typeof createJsBackend>) => {
      const layer = conv2d.create(options, createTestContext({ inputShape: [3, 9, 7], seed: 4, dtype: 'float32', backend }));
      const grads = { weight: Tensor.zeros([4, 3, 3, 3]), bias: Tensor.zeros([4]) };
      const result = layer.forward(x, 'train');
      const dx = result.backward(dy, grads)!;
      return [result.output, dx, grads.weight, grads.bias];
    };
    const expected = run(createJsBackend());
    const got = run(createWasmBackend());
    for (const [i, tensor] of got.entries()) {
      const reference = expected[i]!;
      expect(tensor.shape).toEqual(reference.shape);
      for (let k = 0; k < tensor.size; k++) expect(Math.abs(tensor.data[k]! - reference.data[k]!)).toBeLessThan(1e-5 * (1 + Math.abs(reference.data[k]!)));
    }
  });
});

describe('conv2d options schema', () => {
  const initialiser = (type: string): InitialiserPlugin => ({
    kind: 'initialiser',
    type,
    specVersion: SPEC_VERSION,
    description: `stub ${type}`,
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    create: () => ({ fill: () => undefined }),
  });
  const registry = createRegistry();
  for (const plugin of [conv2d, initialiser('he-uniform'), initialiser('zeros')]) registry.register(plugin, 'test');
  const validate = (options: Record<string, unknown>) => registry.validateOptions('layer', { type: 'conv2d', ...options });

  it('passes lintPlugin and fills every default', () => {
    expect(lintPlugin(conv2d, { example: { filters: 8, kernelSize: 3 } }).problems).toEqual([]);
    expect(lintPlugin(conv2d, { example: { filters: 8, kernelSize: [3, 5], stride: [2, 1], padding: [1, 2], dilation: 2 } }).problems).toEqual([]);
    const { issues, value } = validate({ filters: 8, kernelSize: 3 });
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ type: 'conv2d', filters: 8, kernelSize: 3, stride: 1, padding: 'valid', dilation: 1, useBias: true });
    expect(validate({ filters: 8, kernelSize: [5, 3], padding: 'same', stride: [2, 1] }).issues).toEqual([]);
    expect(validate({ filters: 8, kernelSize: 3, padding: 0 }).issues).toEqual([]);
  });

  it('rejects zero or negative sizes, non-integers and malformed pairs', () => {
    const message = (options: Record<string, unknown>) => validate(options).issues.map((issue) => issue.message);
    expect(message({ kernelSize: 3 })).toEqual(['missing required option "filters"']);
    expect(message({ filters: 0, kernelSize: 3 })).toEqual(['filters must be an integer >= 1 (found 0)']);
    expect(message({ filters: 1, kernelSize: 0 })).toEqual(['kernelSize must be an integer >= 1 or a list of exactly 2 items (found 0)']);
    expect(message({ filters: 1, kernelSize: [3, 0] })).toEqual(['kernelSize[1] must be an integer >= 1 (found 0)']);
    expect(message({ filters: 1, kernelSize: [3, 3, 3] })).toEqual(['kernelSize must be an integer >= 1 or a list of exactly 2 items (found [3,3,3])']);
    expect(message({ filters: 1, kernelSize: 2.5 })).toHaveLength(1);
    expect(message({ filters: 1, kernelSize: 3, stride: 0 })).toEqual(['stride must be an integer >= 1 or a list of exactly 2 items (found 0)']);
    expect(message({ filters: 1, kernelSize: 3, stride: [2, 0] })).toEqual(['stride[1] must be an integer >= 1 (found 0)']);
    expect(message({ filters: 1, kernelSize: 3, dilation: 0 })).toHaveLength(1);
    expect(message({ filters: 1, kernelSize: 3, padding: -1 })[0]).toMatch(/^padding must be one of "valid", "same" or an integer >= 0 or a list/);
    expect(message({ filters: 1, kernelSize: 3, padding: [1, -1] })).toHaveLength(1);
    expect(message({ filters: 1, kernelSize: 3, padding: 'full' })).toHaveLength(1);
    expect(message({ filters: 1, kernelSize: 3, strides: 2 })[0]).toMatch(/^unknown option "strides"; did you mean "stride"\?/);
  });
});
