import { describe, expect, it } from 'vitest';
import { createJsBackend, Tensor } from '@scratchnet/tensor';
import { cosine, oneCycle, reduceOnPlateau, sgd } from './index.js';

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

  it('runs the schedule-hooks example as written', () => {
    const w = { name: 'w', value: Tensor.from([2], [1, -2]), grad: Tensor.zeros([2]), decay: true };
    const optimiser = sgd.create(
      { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0 },
      { params: [w], backend: createJsBackend() },
    );
    w.grad.data.set(w.value.data);

    const cycle = oneCycle.create(
      { type: 'one-cycle', maxLearningRate: 0.1, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4,
        cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95 },
      { iterationsPerEpoch: 10, totalIterations: 100 },
    );
    optimiser.step(cycle.learningRate(0), { momentum: cycle.momentum?.(0) }); // lr 0.004, momentum 0.95
    expect(cycle.learningRate(0)).toBeCloseTo(0.004, 17);
    expect(cycle.momentum?.(0)).toBe(0.95);
    // the first step with momentum 0.95: v = g, w -= lr * (g + 0.95 g) = 0.004 * 1.95 * w
    expect(w.value.data[0]).toBeCloseTo(1 - 0.004 * 1.95, 7);

    const plateau = reduceOnPlateau.create(
      { type: 'reduce-on-plateau', learningRate: 0.1, monitor: 'validation.loss', factor: 0.5,
        patience: 2, minDelta: 1e-4, cooldown: 0, minLearningRate: 0 },
      { iterationsPerEpoch: 10, totalIterations: 100 },
    );
    for (const [epoch, loss] of [0.5, 0.4, 0.41, 0.42, 0.43].entries()) {
      plateau.observe?.({ epoch: epoch + 1, train: { loss, accuracy: 0.9 }, validation: { loss, accuracy: 0.9 } });
    }
    expect(plateau.learningRate(50)).toBe(0.05);
    const saved = plateau.state?.();
    expect(saved).toEqual({ best: 0.4, badEpochs: 0, cooldownLeft: 0, learningRate: 0.05 });
  });
});
