import { describe, expect, it } from 'vitest';
import { createRng, Tensor } from '@scratchnet/tensor';
import { heNormal } from './index.js';
import { expectNormal } from './test-support.js';

describe('README example', () => {
  it('runs as written', () => {
    const weights = Tensor.zeros([784, 30]);
    heNormal.create({ type: 'he-normal' }).fill(weights, { fanIn: 784, fanOut: 30 }, createRng(42));
    expectNormal(weights.data, 0, Math.sqrt(2 / 784));
    const again = Tensor.zeros([784, 30]);
    heNormal.create({ type: 'he-normal' }).fill(again, { fanIn: 784, fanOut: 30 }, createRng(42));
    expect(Array.from(again.data)).toEqual(Array.from(weights.data));
  });
});
