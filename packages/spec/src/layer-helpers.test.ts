import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { gradientFor, requireFeatures, requireSampleShape } from './layer-helpers.js';

describe('layer helpers', () => {
  it('requireSampleShape returns a usable shape and names the layer for a broken one', () => {
    expect(requireSampleShape('conv2d', [1, 28, 28])).toEqual([1, 28, 28]);
    for (const bad of [[], [0, 4], [2.5], [-1]]) {
      expect(() => requireSampleShape('conv2d', bad)).toThrow(ShapeError);
    }
    expect(() => requireSampleShape('my/layer', [3, 0])).toThrow(/my\/layer.*\[3, 0\]/s);
  });

  it('requireFeatures takes 1-D shapes only and suggests a flatten', () => {
    expect(requireFeatures('dense', [784])).toBe(784);
    expect(() => requireFeatures('dense', [1, 28, 28])).toThrow(/flatten/);
  });

  it('gradientFor finds the named buffer or says which is missing', () => {
    const weight = Tensor.zeros([2, 2]);
    expect(gradientFor({ weight }, 'weight', 'dense')).toBe(weight);
    expect(() => gradientFor({ weight }, 'bias', 'dense')).toThrow('dense backward: grads has no "bias" tensor');
  });
});
