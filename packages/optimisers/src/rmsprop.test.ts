import { describe, expect, it } from 'vitest';
import { rmsprop } from './rmsprop.js';
import { ConfigError } from '@scratchnet/spec';
import { bits, createOptimiser, expectResumeIsExact, expectWasmMatchesJs, parameter, schemaDefaults, trajectory } from './test-support.js';

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

  describe('a momentum for one step (StepOptions.momentum, as one-cycle sets it)', () => {
    const run = (options: object, momenta?: readonly (number | undefined)[]): number[] => {
      const params = [parameter('layers.0.weight', [1, -2], { decay: true }), parameter('layers.0.bias', [0.5], { decay: false })];
      const grads = [[[0.5, -1], [0.25]], [[-0.25, 0.5], [1]], [[1, -2], [-0.5]]];
      const stepOptions = momenta?.map((momentum) => ({ momentum }));
      const optimiser = createOptimiser(rmsprop, { weightDecay: 0.1, ...options }, params);
      trajectory(optimiser, params, grads, 0.01, stepOptions);
      return [...params.flatMap((param) => bits(param.value.data)), ...Object.values(optimiser.state().buffers).flatMap(bits)];
    };

    it('replaces the configured one: steps equal those of rmsprop configured with it', () => {
      expect(run({ momentum: 0.5 }, [0.9, 0.9, 0.9])).toEqual(run({ momentum: 0.9 }));
      expect(run({ momentum: 0.5 }, [undefined, undefined, undefined])).toEqual(run({ momentum: 0.5 }));
    });

    it('holds for its step only', () => {
      // b = mu*b + u: with b1 = 9.999998 and u2 = -4.4901317442 (see above), mu 0.5 at t=2 gives
      // b2 = 4.999999 - 4.4901317442 = 0.5098672558, w2 = 0.90000002 - 0.005098672558
      const w = parameter('w', [1]);
      const [, second] = trajectory(createOptimiser(rmsprop, { momentum: 0.9 }, [w]), [w], gradients, 0.01, [{}, { momentum: 0.5 }]);
      expect(second![0]![0]).toBeCloseTo(0.90000002 - 0.01 * (0.5 * 9.999998 - 4.4901317442), 11);
    });

    it('without a configured momentum (no velocity), 0 is plain RMSprop and more is a ConfigError', () => {
      expect(run({}, [0, 0, 0])).toEqual(run({}));
      const optimiser = createOptimiser(rmsprop, {}, [parameter('w', [1])]);
      expect(() => optimiser.step(0.01, { momentum: 0.9 })).toThrow(ConfigError);
      expect(() => optimiser.step(0.01, { momentum: 0.9 })).toThrow(/^optimiser\.momentum \(rmsprop\): is 0, so the optimiser keeps no velocity/);
      expect(optimiser.state().step).toBe(0);
    });

    it('takes the same float32 steps on the wasm backend', () => {
      expectWasmMatchesJs(rmsprop, { momentum: 0.5, weightDecay: 0.1 }, [{ momentum: 0.95 }, { momentum: 0.85 }, {}]);
    });

    it.each(['float32', 'float64'] as const)('resumes from state() bit for bit under a varying momentum (%s)', (dtype) => {
      expectResumeIsExact(rmsprop, { momentum: 0.9, weightDecay: 0.01 }, dtype, (step) => 0.95 - 0.01 * step);
    });
  });
});
