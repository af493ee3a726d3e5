import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { bits, createOptimiser, expectResumeIsExact, expectWasmMatchesJs, parameter, schemaDefaults, trajectory } from './test-support.js';

// w = 1, lr 0.1, defaults beta1 0.9, beta2 0.999, epsilon 1e-8; gradients g1 = 0.5, g2 = -0.25.
const gradients = [[[0.5]], [[-0.25]]];

describe('adam', () => {
  it('has the usual defaults and no weight decay', () => {
    expect(schemaDefaults(adam.optionsSchema)).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
  });

  it('takes bias-corrected steps', () => {
    const w = parameter('w', [1]);
    const optimiser = createOptimiser(adam, {}, [w]);
    const [first, second] = trajectory(optimiser, [w], gradients, 0.1);
    // t=1: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 0.00025
    //      mHat = 0.05/0.1 = 0.5, vHat = 0.00025/0.001 = 0.25
    //      w = 1 - 0.1 * 0.5/(0.5 + 1e-8) = 1 - 0.099999998 = 0.900000002
    expect(first![0]![0]).toBeCloseTo(0.900000002, 14);
    // t=2: m = 0.9*0.05 + 0.1*(-0.25) = 0.02, v = 0.999*0.00025 + 0.001*0.0625 = 0.00031225
    //      mHat = 0.02/(1 - 0.81) = 0.1052631579, vHat = 0.00031225/(1 - 0.998001) = 0.1562031016
    //      w = 0.900000002 - 0.1 * 0.1052631579/(0.3952253812 + 1e-8) = 0.900000002 - 0.0266337033
    expect(second![0]![0]).toBeCloseTo(0.8733662987078, 12);
    const state = optimiser.state();
    expect(state.step).toBe(2);
    expect(state.buffers['w.m']![0]).toBeCloseTo(0.02, 15);
    expect(state.buffers['w.v']![0]).toBeCloseTo(0.00031225, 15);
  });

  it('adds L2 weight decay to the gradient of decayed parameters only', () => {
    const decayed = parameter('layers.0.weight', [1], { decay: true });
    const exempt = parameter('layers.0.bias', [1], { decay: false });
    const params = [decayed, exempt];
    const steps = trajectory(createOptimiser(adam, { weightDecay: 0.1 }, params), params, [[[0.5], [0.5]], [[-0.25], [-0.25]]], 0.1);
    // decayed t=1: g = 0.5 + 0.1*1 = 0.6, mHat = 0.6, vHat = 0.36
    //              w = 1 - 0.1 * 0.6/(0.6 + 1e-8) = 0.9000000016667
    // decayed t=2: g = -0.25 + 0.1*0.9000000016667 = -0.1599999998, m = 0.054 - 0.016 = 0.038,
    //              v = 0.999*0.00036 + 0.001*0.0256 = 0.00038524, mHat = 0.2, vHat = 0.1927163582
    //              w = 0.9000000016667 - 0.1 * 0.2/0.4389947131 = 0.8544413674618
    expect(steps[0]![0]![0]).toBeCloseTo(0.9000000016667, 12);
    expect(steps[1]![0]![0]).toBeCloseTo(0.8544413674618, 12);
    // exempt: exactly the undecayed run of the previous test
    expect(steps[0]![1]![0]).toBeCloseTo(0.900000002, 14);
    expect(steps[1]![1]![0]).toBeCloseTo(0.8733662987078, 12);
  });

  it('float32 parameters get the same steps rounded to float32', () => {
    const w = parameter('w', [1], { dtype: 'float32' });
    const optimiser = createOptimiser(adam, {}, [w]);
    const [first, second] = trajectory(optimiser, [w], gradients, 0.1);
    expect(first![0]![0]).toBe(Math.fround(0.900000002));
    expect(second![0]![0]).toBeCloseTo(0.8733662987078, 6);
    expect(optimiser.state().buffers['w.m']).toBeInstanceOf(Float32Array);
  });

  it('takes the same float32 steps on the wasm backend, with its moments in wasm memory', () => {
    expectWasmMatchesJs(adam, { weightDecay: 0.1 });
  });

  it.each(['float32', 'float64'] as const)('resumes from state() bit for bit (%s)', (dtype) => {
    expectResumeIsExact(adam, { weightDecay: 0.01 }, dtype);
  });

  describe('a momentum for one step (StepOptions.momentum) replaces beta1', () => {
    it('steps equal those of adam configured with that beta1', () => {
      const run = (options: object, momentum?: number): number[] => {
        const params = [parameter('layers.0.weight', [1, -2], { decay: true }), parameter('layers.0.bias', [0.5], { decay: false })];
        const grads = [[[0.5, -1], [0.25]], [[-0.25, 0.5], [1]], [[1, -2], [-0.5]]];
        const stepOptions = momentum === undefined ? undefined : grads.map(() => ({ momentum }));
        const optimiser = createOptimiser(adam, { weightDecay: 0.1, ...options }, params);
        trajectory(optimiser, params, grads, 0.1, stepOptions);
        return [...params.flatMap((param) => bits(param.value.data)), ...Object.values(optimiser.state().buffers).flatMap(bits)];
      };
      expect(run({ beta1: 0.9 }, 0.8)).toEqual(run({ beta1: 0.8 }));
      expect(run({ beta1: 0.5 }, 0.95)).toEqual(run({ beta1: 0.95 }));
      // none, or { momentum: undefined }: the configured beta1
      expect(run({ beta1: 0.8 }, undefined)).toEqual(run({ beta1: 0.8 }));
    });

    it('uses the current beta1 in the bias correction 1 - beta1^t, as PyTorch does', () => {
      const w = parameter('w', [1]);
      const optimiser = createOptimiser(adam, {}, [w]);
      const [first, second] = trajectory(optimiser, [w], gradients, 0.1, [{}, { momentum: 0.8 }]);
      // t=1 (beta1 0.9, configured): w = 0.900000002 as above; m = 0.05, v = 0.00025
      expect(first![0]![0]).toBeCloseTo(0.900000002, 14);
      // t=2 with beta1 0.8: m = 0.8*0.05 + 0.2*(-0.25) = -0.01, v = 0.00031225 (beta2 unchanged)
      //      stepSize = 0.1 / (1 - 0.8^2) = 0.2777777778, sqrt(v)/sqrt(1 - 0.999^2) = 0.3952253807
      //      w = 0.900000002 + 0.2777777778 * 0.01 / (0.3952253807 + 1e-8) = 0.900000002 + 0.0070283384
      expect(second![0]![0]).toBeCloseTo(0.9070283403688, 12);
      expect(optimiser.state().buffers['w.m']![0]).toBeCloseTo(-0.01, 15);
    });

    it('refuses a beta1 outside [0, 1) with a RangeError', () => {
      const w = parameter('w', [1]);
      expect(() => createOptimiser(adam, {}, [w]).step(0.1, { momentum: 1 })).toThrow(
        "adam optimiser: the step's momentum (used as beta1) must be a number in [0, 1), got 1.",
      );
      expect(Array.from(w.value.data)).toEqual([1]);
    });

    it('takes the same float32 steps on the wasm backend', () => {
      expectWasmMatchesJs(adam, { weightDecay: 0.1 }, [{ momentum: 0.95 }, { momentum: 0.85 }, {}]);
    });

    it.each(['float32', 'float64'] as const)('resumes from state() bit for bit under a varying beta1 (%s)', (dtype) => {
      expectResumeIsExact(adam, { weightDecay: 0.01 }, dtype, (step) => 0.95 - 0.01 * step);
    });
  });
});
