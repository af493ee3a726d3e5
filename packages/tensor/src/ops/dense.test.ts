import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import type { DenseActivation } from './dense.js';
import {
  DENSE_ACTIVATIONS,
  denseBias,
  denseOperand,
  describeActivation,
  expectSameBits,
  separateBackward,
  separateForward,
} from './test-dense.js';

const backend = createJsBackend();
// [rows, inputs, units]: one of everything, odd sizes, a batch of 0, the mlp-small layers.
const SHAPES = [[1, 1, 1], [3, 5, 2], [7, 4, 9], [0, 3, 2], [64, 30, 60], [5, 33, 10]] as const;

describe('denseForward and denseBackward (JS reference)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`equal the separate ops bit for bit, every activation, with and without bias and dx (${dtype})`, () => {
      const rng = createRng(21);
      for (const [rows, inputs, units] of SHAPES) {
        for (const activation of DENSE_ACTIVATIONS) {
          for (const withBias of [true, false]) {
            const label = `[${rows}, ${inputs}, ${units}] ${describeActivation(activation)} bias ${withBias}`;
            const x = denseOperand(rng, [rows, inputs], 1, dtype, 3);
            const w = denseOperand(rng, [inputs, units], 0.7, dtype);
            const b = withBias ? denseBias(rng, units, dtype) : undefined;
            const dy = denseOperand(rng, [rows, units], 1, dtype);
            const expected = separateForward(backend, x, w, b, activation);
            const y = backend.denseForward(x, w, b, activation);
            expectSameBits(y.data, expected.y.data, `${label} y`);
            const grads = { weight: Tensor.zeros(w.shape, dtype), bias: withBias ? Tensor.zeros([units], dtype) : undefined };
            const dx = backend.denseBackward(x, w, y, dy, activation, grads);
            const separate = separateBackward(backend, x, w, expected.z, expected.y, dy, activation, withBias, true);
            expectSameBits(grads.weight.data, separate.dw.data, `${label} dW`);
            if (withBias) expectSameBits(grads.bias!.data, separate.db!.data, `${label} db`);
            expectSameBits(dx!.data, separate.dx!.data, `${label} dx`);
            expect(backend.denseBackward(x, w, y, dy, activation, grads, false)).toBeUndefined();
            expectSameBits(grads.weight.data, separate.dw.data, `${label} dW without dx`);
          }
        }
      }
    });
  }

  it('computes the hand-checked values and writes into out', () => {
    // z = x·W + b = [[1·1 + 2·2 + 0.5, 1·0 + 2·1 - 3], [-1·1 + 0.5, -1·0 - 3]] = [[5.5, -1], [-0.5, -3]]
    const x = Tensor.from([2, 2], [1, 2, -1, 0], 'float64');
    const w = Tensor.from([2, 2], [1, 0, 2, 1], 'float64');
    const b = Tensor.from([2], [0.5, -3], 'float64');
    const out = Tensor.zeros([2, 2], 'float64');
    expect(backend.denseForward(x, w, b, { type: 'relu' }, out)).toBe(out);
    // ReLU is leakyRelu with slope 0: 0·z, so -0 for a negative z, as the relu layer always gave.
    expect([...out.data]).toEqual([5.5, -0, -0, -0]);
    expect([...backend.denseForward(x, w, b, { type: 'leaky-relu', slope: 0.5 }).data]).toEqual([5.5, -0.5, -0.25, -1.5]);
    // dz = dy where y > 0: [[1, 0], [0, 0]]; dW = xᵀ·dz = [[1, 0], [2, 0]]; db = [1, 0]; dx = dz·Wᵀ = [[1, 2], [0, 0]]
    const grads = { weight: Tensor.zeros([2, 2], 'float64'), bias: Tensor.zeros([2], 'float64') };
    const dx = backend.denseBackward(x, w, out, Tensor.from([2, 2], [1, 1, 1, 1], 'float64'), { type: 'relu' }, grads);
    expect([...grads.weight.data]).toEqual([1, 0, 2, 0]);
    expect([...grads.bias.data]).toEqual([1, 0]);
    expect([...dx!.data]).toEqual([1, 2, 0, 0]);
  });

  it('rejects bad arguments with messages that say what was expected', () => {
    const x = Tensor.zeros([2, 3]);
    const w = Tensor.zeros([3, 4]);
    const relu: DenseActivation = { type: 'relu' };
    expect(() => backend.denseForward(Tensor.zeros([2, 5]), w, undefined, relu)).toThrow(
      new RangeError('denseForward: x is [2, 5] (5 values per row) but weight is [3, 4] (3 inputs); each row of x needs one value per row of weight'),
    );
    expect(() => backend.denseForward(x, w, Tensor.zeros([3]), relu)).toThrow(
      new RangeError('denseForward: bias is [3] float32 but the layer has 4 units; bias needs one value per unit ([4])'),
    );
    expect(() => backend.denseForward(x, w.to('float64'), undefined, relu)).toThrow(
      "denseForward: weight is [3, 4] float64 but the operands are float32; all operands must share a dtype (convert one with tensor.to('float32'))",
    );
    expect(() => backend.denseForward(x, w, undefined, relu, Tensor.zeros([2, 3]))).toThrow('denseForward: out is [2, 3] (6 values) but the result is [2, 4] (8 values)');
    expect(() => backend.denseForward(x, w, undefined, { type: 'swish' } as unknown as DenseActivation)).toThrow(
      `denseForward: activation {"type":"swish"} is not one of { type: 'identity' }, { type: 'relu' }, { type: 'leaky-relu' }, { type: 'sigmoid' }, { type: 'tanh' }`,
    );
    expect(() => backend.denseForward(x, w, undefined, { type: 'leaky-relu', slope: -0.1 })).toThrow(
      'denseForward: the leaky-relu slope is -0.1; the fused ops need a finite slope >= 0',
    );
    expect(() => backend.denseForward(x, w, undefined, { type: 'leaky-relu' })).toThrow('the leaky-relu slope is undefined');
    const shared = Tensor.zeros([20]);
    const view = (start: number, shape: readonly number[]) => new Tensor(shape, shared.data.subarray(start, start + shape[0]! * (shape[1] ?? 1)));
    expect(() => backend.denseForward(view(0, [2, 3]), w, undefined, relu, view(4, [2, 4]))).toThrow(
      'denseForward: out overlaps x; out must not share memory with x (use a separate tensor)',
    );
    const y = Tensor.zeros([2, 4]);
    const grads = { weight: Tensor.zeros([3, 4]) };
    expect(() => backend.denseBackward(x, w, y, Tensor.zeros([2, 5]), relu, grads)).toThrow(
      'denseBackward: dy is [2, 5] but the output of x·W is [2, 4]; pass a tensor of that shape',
    );
    expect(() => backend.denseBackward(x, w, y, y.clone(), relu, { weight: Tensor.zeros([4, 3]) })).toThrow(
      'denseBackward: grads.weight is [4, 3] but the weight is [3, 4]; pass a gradient shaped like the weight',
    );
    expect(() => backend.denseBackward(x, w, y, y.clone(), relu, { weight: grads.weight, bias: Tensor.zeros([3]) })).toThrow(
      'denseBackward: grads.bias is [3] float32 but the layer has 4 units',
    );
    expect(() => backend.denseBackward(x, w, y, y, relu, { weight: grads.weight }, x)).toThrow('denseBackward: out overlaps x');
  });
});

describe('bindDense (JS reference)', () => {
  it('gives what the direct calls give, into the bound buffers, and checks what changes', () => {
    const rng = createRng(22);
    const x = denseOperand(rng, [6, 5], 1);
    const w = denseOperand(rng, [5, 3], 1);
    const b = denseBias(rng, 3);
    const dy = denseOperand(rng, [6, 3], 1);
    const activation: DenseActivation = { type: 'tanh' };
    const output = Tensor.zeros([6, 3]);
    const inputGrad = Tensor.zeros([6, 5]);
    const call = backend.bindDense({ weight: w, bias: b, activation, output, inputGrad });
    expect(call.forward(x)).toBe(output);
    expectSameBits(output.data, backend.denseForward(x, w, b, activation).data, 'y');
    const grads = { weight: Tensor.zeros([5, 3]), bias: Tensor.zeros([3]) };
    const expected = { weight: Tensor.zeros([5, 3]), bias: Tensor.zeros([3]) };
    const dx = backend.denseBackward(x, w, output, dy, activation, expected);
    expect(call.backward(x, dy, grads)).toBe(inputGrad);
    expectSameBits(inputGrad.data, dx!.data, 'dx');
    expectSameBits(grads.weight.data, expected.weight.data, 'dW');
    expectSameBits(grads.bias.data, expected.bias.data, 'db');

    expect(() => call.forward(Tensor.zeros([4, 5]))).toThrow(
      'BoundDense.forward: x is [4, 5] but the bound input is [6, 5]; bind another call for another batch size',
    );
    expect(() => call.backward(x, dy, { weight: Tensor.zeros([5, 3], 'float64') })).toThrow('BoundDense.backward: grads.weight is [5, 3] float64');
    expect(() => call.backward(x, inputGrad, grads)).toThrow('BoundDense.backward: dy is [6, 5] but the bound output is [6, 3]');
    const noDx = backend.bindDense({ weight: w, activation: { type: 'identity' }, output: Tensor.zeros([6, 3]) });
    noDx.forward(x);
    expect(noDx.backward(x, dy, { weight: grads.weight })).toBeUndefined();
  });

  it('checks the bound operands when binding', () => {
    const w = Tensor.zeros([5, 3]);
    expect(() => backend.bindDense({ weight: w, activation: { type: 'relu' }, output: Tensor.zeros([6, 4]) })).toThrow(
      "bindDense: output is [6, 4] but a batch of 6 rows of the weight's units is [6, 3]; pass a tensor of that shape",
    );
    expect(() => backend.bindDense({ weight: w, activation: { type: 'relu' }, output: Tensor.zeros([6, 3]), inputGrad: Tensor.zeros([6, 4]) })).toThrow(
      'bindDense: inputGrad is [6, 4] but the input of 6 rows is [6, 5]',
    );
    expect(() => backend.bindDense({ weight: w, activation: { type: 'relu' }, output: new Tensor([5, 3], w.data) })).toThrow(
      'bindDense: output overlaps weight',
    );
    // The activation is copied when bound: changing the caller's object later changes nothing.
    const activation = { type: 'relu' as DenseActivation['type'] };
    const output = Tensor.zeros([1, 1]);
    const call = backend.bindDense({ weight: Tensor.from([1, 1], [1]), activation, output });
    activation.type = 'identity';
    call.forward(Tensor.from([1, 1], [-2]));
    expect(Object.is(output.data[0], -0)).toBe(true);
  });
});
