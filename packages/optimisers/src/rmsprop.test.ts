import { describe, expect, it } from 'vitest';
import { rmsprop } from './rmsprop.js';
import { createOptimiser, expectResumeIsExact, expectWasmMatchesJs, parameter, schemaDefaults, trajectory } from './test-support.js';

// w = 1, lr 0.01, alpha 0.99, epsilon 1e-8; gradients g1 = 0.5, g2 = -0.25.
const gradients = [[[0.5]], [[-0.25]]];

describe('rmsprop', () => {
  it('has the usual defaults', () => {
    expect(schemaDefaults(rmsprop.optionsSchema)).toEqual({ alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0 });
  });

  it('divides the gradient by the running RMS', () => {
    const w = parameter('w', [1]);
    const optimiser = createOptimiser(rmsprop, {}, [w]);
    const [first, second] = trajectory(optimiser, [w], gradients, 0.01);
    // t=1: s = 0.01*0.25 = 0.0025, sqrt(s) = 0.05, u = 0.5/(0.05 + 1e-8) = 9.999998
    //      w = 1 - 0.01*9.999998 = 0.90000002
    expect(first![0]![0]).toBeCloseTo(0.90000002, 14);
    // t=2: s = 0.99*0.0025 + 0.01*0.0625 = 0.0031, sqrt(s) = 0.0556776436, u = -4.4901317442
    //      w = 0.90000002 + 0.044901317442 = 0.944901337442
    expect(second![0]![0]).toBeCloseTo(0.9449013374422, 12);
    expect(optimiser.state().buffers['w.squareAverage']![0]).toBeCloseTo(0.0031, 15);
    expect(Object.keys(optimiser.state().buffers)).toEqual(['w.squareAverage']);
  });

  it('with momentum accumulates the scaled steps: b = mu*b + u, w -= lr*b', () => {
    const w = parameter('w', [1]);
    const optimiser = createOptimiser(rmsprop, { momentum: 0.9 }, [w]);
    const [first, second] = trajectory(optimiser, [w], gradients, 0.01);
    // t=1: b = 9.999998, w = 0.90000002
    // t=2: b = 0.9*9.999998 - 4.4901317442 = 4.5098664558, w = 0.90000002 - 0.045098664558 = 0.854901355442
    expect(first![0]![0]).toBeCloseTo(0.90000002, 14);
    expect(second![0]![0]).toBeCloseTo(0.8549013554422, 12);
    expect(optimiser.state().buffers['w.velocity']![0]).toBeCloseTo(4.5098664557825, 12);
  });

  it('adds weight decay to the gradient of decayed parameters only', () => {
    const decayed = parameter('layers.0.weight', [1], { decay: true });
    const exempt = parameter('layers.0.bias', [1], { decay: false });
    const params = [decayed, exempt];
    const optimiser = createOptimiser(rmsprop, { weightDecay: 0.5 }, params);
    const [first] = trajectory(optimiser, params, [[[0.5], [0.5]]], 0.01);
    // decayed: g = 0.5 + 0.5*1 = 1, s = 0.01, u = 1/(0.1 + 1e-8), w = 1 - 0.0999999900 = 0.90000001
    expect(first![0]![0]).toBeCloseTo(1 - 0.01 / (0.1 + 1e-8), 15);
    expect(optimiser.state().buffers['layers.0.weight.squareAverage']![0]).toBeCloseTo(0.01, 15);
    // exempt: as without decay, s = 0.0025, w = 0.90000002
    expect(first![1]![0]).toBeCloseTo(0.90000002, 14);
    expect(optimiser.state().buffers['layers.0.bias.squareAverage']![0]).toBeCloseTo(0.0025, 15);
  });

  it('float32 parameters get the same steps rounded to float32', () => {
    const w = parameter('w', [1], { dtype: 'float32' });
    const [first, second] = trajectory(createOptimiser(rmsprop, {}, [w]), [w], gradients, 0.01);
    expect(first![0]![0]).toBe(Math.fround(0.90000002));
    expect(second![0]![0]).toBeCloseTo(0.9449013374422, 6);
  });

  it('takes the same float32 steps on the wasm backend, with its buffers in wasm memory', () => {
    expectWasmMatchesJs(rmsprop, { weightDecay: 0.1 });
    expectWasmMatchesJs(rmsprop, { momentum: 0.9, weightDecay: 0.1 });
  });

  it.each(['float32', 'float64'] as const)('resumes from state() bit for bit (%s)', (dtype) => {
    expectResumeIsExact(rmsprop, { momentum: 0.9, weightDecay: 0.01 }, dtype);
    expectResumeIsExact(rmsprop, {}, dtype);
  });
});
