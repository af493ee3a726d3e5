import { ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { flatten } from './flatten.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('flatten', () => {
  it('maps [c, h, w] to [c*h*w] and keeps row-major order', () => {
    expect(flatten.outputShape([1, 28, 28], { type: 'flatten' })).toEqual([784]);
    expect(flatten.outputShape([3, 2, 5], { type: 'flatten' })).toEqual([30]);
    expect(flatten.outputShape([12], { type: 'flatten' })).toEqual([12]);
    const values = Array.from({ length: 24 }, (_, i) => i);
    const { result, input } = forwardValues(flatten, {}, [2, 3, 2], values);
    expect(result.output.shape).toEqual([2, 12]);
    expect([...result.output.data]).toEqual(values);
    expect(result.backward(result.output, {})?.shape).toEqual(input.shape);
  });

  it('rejects invalid shapes with a ShapeError', () => {
    expectInvalidShapesRejected(flatten, {});
    expect(() => flatten.outputShape([2, -1], { type: 'flatten' })).toThrow(ShapeError);
    expect(() => flatten.outputShape([], { type: 'flatten' })).toThrow(
      'layer (flatten): expected input [d1, d2, ...] (at least 1-D, every dimension an integer >= 1), got []. ' +
        'Check model.input and the outputShape of the layer before this one.',
    );
  });

  it('passes the gradient check over 3 seeds', () => {
    expect(checkGradients(flatten, {}, { inputShape: [2, 2, 3], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-9);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(flatten, {}, { inputShape: [1, 3, 3], seed: 1 }).compared).toBe(5 * 9 * 2);
  });
});
