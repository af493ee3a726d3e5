import { describe, expect, it } from 'vitest';
import { createJsBackend, Tensor } from '@scratchnet/tensor';
import { cosine, sgd } from './index.js';

describe('README example', () => {
  it('runs as written and reaches the minimum', () => {
    // One parameter w = [1, -2]; the loss 0.5 * ||w||^2 has gradient w.
    const w = { name: 'w', value: Tensor.from([2], [1, -2]), grad: Tensor.zeros([2]), decay: true };
    const optimiser = sgd.create(
      { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0 },
      { params: [w], backend: createJsBackend() },
    );
    const schedule = cosine.create(
      { type: 'cosine', learningRate: 0.1, minLearningRate: 0, warmupIterations: 5 },
      { iterationsPerEpoch: 10, totalIterations: 100 },
    );
    for (let iteration = 0; iteration < 100; iteration++) {
      w.grad.data.set(w.value.data);
      optimiser.step(schedule.learningRate(iteration));
    }
    expect(Math.abs(w.value.data[0]!)).toBeLessThan(1e-3);
    expect(Math.abs(w.value.data[1]!)).toBeLessThan(1e-3);
    const checkpoint = optimiser.state();
    expect(checkpoint.step).toBe(100);
    expect(Object.keys(checkpoint.buffers)).toEqual(['w.velocity']);
    expect(checkpoint.buffers['w.velocity']).toBeInstanceOf(Float32Array);
  });
});
