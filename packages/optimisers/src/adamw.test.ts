import { describe, expect, it } from 'vitest';
import { adamw } from './adamw.js';
import { bits, createOptimiser, expectResumeIsExact, expectWasmMatchesJs, parameter, schemaDefaults, trajectory } from './test-support.js';

describe('adamw', () => {
  it('defaults weightDecay to 0.01', () => {
    expect(schemaDefaults(adamw.optionsSchema)).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 });
  });

  it('shrinks decayed parameters by lr * weightDecay * w before the Adam step', () => {
    const decayed = parameter('layers.0.weight', [1], { decay: true });
    const exempt = parameter('layers.0.bias', [1], { decay: false });
    const params = [decayed, exempt];
    const optimiser = createOptimiser(adamw, { weightDecay: 0.1 }, params);
    const steps = trajectory(optimiser, params, [[[0.5], [0.5]], [[-0.25], [-0.25]]], 0.1);
    // lr 0.1, weightDecay 0.1: the decay factor is 1 - 0.1*0.1 = 0.99; the gradient itself is
    // not changed, so the Adam part equals plain Adam's (see adam.test.ts).
    // t=1: w = 1*0.99 - 0.099999998 = 0.890000002
    // t=2: w = 0.890000002*0.99 - 0.0266337033 = 0.88110000198 - 0.0266337033 = 0.8544662987
    expect(steps[0]![0]![0]).toBeCloseTo(0.890000002, 14);
    expect(steps[1]![0]![0]).toBeCloseTo(0.8544662986878, 12);
    // the exempt bias follows plain Adam: 0.900000002, 0.8733662987
    expect(steps[0]![1]![0]).toBeCloseTo(0.900000002, 14);
    expect(steps[1]![1]![0]).toBeCloseTo(0.8733662987078, 12);
    // the moments saw the raw gradient: m after t=2 is 0.02 for both
    const { buffers } = optimiser.state();
    expect(buffers['layers.0.weight.m']![0]).toBeCloseTo(0.02, 15);
    expect(buffers['layers.0.bias.m']![0]).toBeCloseTo(0.02, 15);
  });

  it('float32 parameters get the same steps rounded to float32', () => {
    const w = parameter('w', [1], { dtype: 'float32' });
    const [first] = trajectory(createOptimiser(adamw, { weightDecay: 0.1 }, [w]), [w], [[[0.5]]], 0.1);
    expect(first![0]![0]).toBe(Math.fround(0.890000002));
  });

  it('takes the same float32 steps on the wasm backend, with its moments in wasm memory', () => {
    expectWasmMatchesJs(adamw, { weightDecay: 0.1 });
  });

  it.each(['float32', 'float64'] as const)('resumes from state() bit for bit (%s)', (dtype) => {
    expectResumeIsExact(adamw, {}, dtype);
  });

  describe('a momentum for one step (StepOptions.momentum) replaces beta1', () => {
    it('steps equal those of adamw configured with that beta1', () => {
      const run = (beta1: number, momentum?: number): number[] => {
        const params = [parameter('layers.0.weight', [1, -2], { decay: true }), parameter('layers.0.bias', [0.5], { decay: false })];
        const grads = [[[0.5, -1], [0.25]], [[-0.25, 0.5], [1]], [[1, -2], [-0.5]]];
        const stepOptions = momentum === undefined ? undefined : grads.map(() => ({ momentum }));
        const optimiser = createOptimiser(adamw, { beta1, weightDecay: 0.1 }, params);
        trajectory(optimiser, params, grads, 0.1, stepOptions);
        return [...params.flatMap((param) => bits(param.value.data)), ...Object.values(optimiser.state().buffers).flatMap(bits)];
      };
      expect(run(0.9, 0.85)).toEqual(run(0.85));
      expect(run(0.9, 0.85)).not.toEqual(run(0.9));
    });

    it('takes the same float32 steps on the wasm backend', () => {
      expectWasmMatchesJs(adamw, { weightDecay: 0.1 }, [{ momentum: 0.95 }, { momentum: 0.85 }, {}]);
    });

    it.each(['float32', 'float64'] as const)('resumes from state() bit for bit under a varying beta1 (%s)', (dtype) => {
      expectResumeIsExact(adamw, {}, dtype, (step) => 0.95 - 0.01 * step);
    });
  });
});
