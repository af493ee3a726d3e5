import { describe, expect, it } from 'vitest';
import { ConfigError } from '@scratchnet/spec';
import type { StepOptions } from '@scratchnet/spec';
import { type Backend, createJsBackend, createWasmBackend } from '@scratchnet/tensor';
import { sgd } from './sgd.js';
import { bits, createOptimiser, expectResumeIsExact, expectWasmMatchesJs, parameter, schemaDefaults, trajectory } from './test-support.js';

// One parameter w = 1 (plus a second element w = -2 to show elements are independent) and a
// gradient that changes sign: g1 = 0.5, g2 = -0.25, g3 = 1 (second element: -1, 0.5, -2).
const gradients = [[[0.5, -1]], [[-0.25, 0.5]], [[1, -2]]];

function run(options: object, dtype: 'float32' | 'float64' = 'float64', stepOptions?: readonly StepOptions[]): number[][] {
  const w = parameter('w', [1, -2], { dtype });
  return trajectory(createOptimiser(sgd, options, [w]), [w], gradients, 0.1, stepOptions).map((step) => step[0]!);
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 14)));
}

describe('sgd', () => {
  it('defaults to plain SGD without weight decay', () => {
    expect(schemaDefaults(sgd.optionsSchema)).toEqual({ momentum: 0, nesterov: false, weightDecay: 0 });
  });

  it('plain: w -= lr * g', () => {
    // lr 0.1: w1 = 1 - 0.1*0.5 = 0.95; w2 = 0.95 + 0.1*0.25 = 0.975; w3 = 0.975 - 0.1*1 = 0.875
    // second element: -2 + 0.1 = -1.9; -1.9 - 0.05 = -1.95; -1.95 + 0.2 = -1.75
    expectClose(run({}), [
      [0.95, -1.9],
      [0.975, -1.95],
      [0.875, -1.75],
    ]);
  });

  it('momentum: v = mu*v + g, w -= lr * v', () => {
    // mu 0.9: v1 = 0.5,              w1 = 1 - 0.05 = 0.95
    //         v2 = 0.45 - 0.25 = 0.2, w2 = 0.95 - 0.02 = 0.93
    //         v3 = 0.18 + 1 = 1.18,  w3 = 0.93 - 0.118 = 0.812
    // second: v = -1, -0.4, -2.36;   w = -1.9, -1.86, -1.624
    expectClose(run({ momentum: 0.9 }), [
      [0.95, -1.9],
      [0.93, -1.86],
      [0.812, -1.624],
    ]);
  });

  it('nesterov: w -= lr * (g + mu*v) with the updated v', () => {
    // mu 0.9: v1 = 0.5,  step = 0.5 + 0.45 = 0.95,   w1 = 1 - 0.095 = 0.905
    //         v2 = 0.2,  step = -0.25 + 0.18 = -0.07, w2 = 0.905 + 0.007 = 0.912
    //         v3 = 1.18, step = 1 + 1.062 = 2.062,    w3 = 0.912 - 0.2062 = 0.7058
    // second: v = -1, -0.4, -2.36; step = -1.9, 0.14, -4.124; w = -1.81, -1.824, -1.4116
    expectClose(run({ momentum: 0.9, nesterov: true }), [
      [0.905, -1.81],
      [0.912, -1.824],
      [0.7058, -1.4116],
    ]);
  });

  it('weight decay adds weightDecay * w to the gradient of decayed parameters only', () => {
    const decayed = parameter('layers.0.weight', [1], { decay: true });
    const exempt = parameter('layers.0.bias', [1], { decay: false });
    const params = [decayed, exempt];
    const steps = trajectory(createOptimiser(sgd, { weightDecay: 0.1 }, params), params, [[[0.5], [0.5]], [[0.5], [0.5]]], 0.1);
    // decayed: g = 0.5 + 0.1*1 = 0.6,    w1 = 1 - 0.06 = 0.94
    //          g = 0.5 + 0.1*0.94 = 0.594, w2 = 0.94 - 0.0594 = 0.8806
    // exempt:  w1 = 0.95, w2 = 0.9
    expect(steps[0]![0]![0]).toBeCloseTo(0.94, 15);
    expect(steps[1]![0]![0]).toBeCloseTo(0.8806, 15);
    expect(steps[0]![1]![0]).toBeCloseTo(0.95, 15);
    expect(steps[1]![1]![0]).toBeCloseTo(0.9, 15);
  });

  it('float32 parameters get the same steps rounded to float32, and float32 buffers', () => {
    const expected = run({ momentum: 0.9, nesterov: true });
    const w = parameter('w', [1, -2], { dtype: 'float32' });
    const optimiser = createOptimiser(sgd, { momentum: 0.9, nesterov: true }, [w]);
    const actual = trajectory(optimiser, [w], gradients, 0.1).map((step) => step[0]!);
    actual.forEach((row, i) =>
      row.forEach((x, j) => {
        expect(Math.fround(x)).toBe(x);
        expect(x).toBeCloseTo(expected[i]![j]!, 6);
      }),
    );
    expect(optimiser.state().buffers['w.velocity']).toBeInstanceOf(Float32Array);
  });

  it('takes the same float32 steps on the wasm backend, with its velocity in wasm memory', () => {
    const steps = (backend: Backend): number[][] => {
      const w = parameter('w', [1, -2, 0.5, 3, -0.125], { dtype: 'float32' });
      const grads = [[[0.5, -1, 2, 0.25, -3]], [[-0.25, 0.5, -1, 1, 0]], [[1, -2, 0.5, -0.5, 2]]];
      const optimiser = createOptimiser(sgd, { momentum: 0.9, nesterov: true, weightDecay: 0.01 }, [w], backend);
      return trajectory(optimiser, [w], grads, 0.1).map((step) => step[0]!);
    };
    // The wasm kernel works in float32 lanes, the JS one in float64 rounded once: a few ulps apart.
    const reference = steps(createJsBackend());
    steps(createWasmBackend()).forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(reference[i]![j]!, 6)));
  });

  it('keeps a velocity buffer only with momentum', () => {
    const w = parameter('layers.0.weight', [1, 2]);
    expect(Object.keys(createOptimiser(sgd, {}, [w]).state().buffers)).toEqual([]);
    const state = createOptimiser(sgd, { momentum: 0.5 }, [w]).state();
    expect(Object.keys(state.buffers)).toEqual(['layers.0.weight.velocity']);
    expect(Array.from(state.buffers['layers.0.weight.velocity']!)).toEqual([0, 0]);
  });

  it('rejects nesterov without momentum with a ConfigError at optimiser.nesterov', () => {
    const create = () => createOptimiser(sgd, { nesterov: true }, [parameter('w', [1])]);
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(
      'optimiser.nesterov (sgd): nesterov needs momentum > 0, got momentum 0; set momentum (e.g. 0.9) or remove nesterov',
    );
  });

  it.each(['float32', 'float64'] as const)('resumes from state() bit for bit (%s)', (dtype) => {
    expectResumeIsExact(sgd, { momentum: 0.9, nesterov: true, weightDecay: 0.01 }, dtype);
    expectResumeIsExact(sgd, { weightDecay: 0.01 }, dtype);
  });

  describe('a momentum for one step (StepOptions.momentum, as one-cycle sets it)', () => {
    const every = (momentum: number): StepOptions[] => gradients.map(() => ({ momentum }));

    it.each([false, true])('replaces the configured one: steps equal those of sgd configured with it (nesterov %s)', (nesterov) => {
      expect(run({ momentum: 0.5, nesterov }, 'float64', every(0.9))).toEqual(run({ momentum: 0.9, nesterov }));
      expect(run({ momentum: 0.9, nesterov }, 'float32', every(0.5))).toEqual(run({ momentum: 0.5, nesterov }, 'float32'));
    });

    it('holds for its step only, so it can change every step', () => {
      // mu 0.9, 0.5, 0.8: v1 = 0.5,             w1 = 1 - 0.05 = 0.95
      //                   v2 = 0.25 - 0.25 = 0,  w2 = 0.95
      //                   v3 = 0 + 1 = 1,        w3 = 0.95 - 0.1 = 0.85
      // second element:   v = -1, 0, -2;         w = -1.9, -1.9, -1.7
      expectClose(run({ momentum: 0.1 }, 'float64', [{ momentum: 0.9 }, { momentum: 0.5 }, { momentum: 0.8 }]), [
        [0.95, -1.9],
        [0.95, -1.9],
        [0.85, -1.7],
      ]);
      // A step without it goes back to the configured momentum: mu 0.9, then 0.1 (configured), 0.8
      // v = 0.5, 0.05 - 0.25 = -0.2, -0.16 + 1 = 0.84; w = 0.95, 0.97, 0.886
      expectClose(run({ momentum: 0.1 }, 'float64', [{ momentum: 0.9 }, {}, { momentum: 0.8 }]).map((row) => [row[0]!]), [
        [0.95],
        [0.97],
        [0.886],
      ]);
    });

    it('without it (no options, {} or undefined) steps with the configured momentum', () => {
      const expected = run({ momentum: 0.9, nesterov: true });
      expect(run({ momentum: 0.9, nesterov: true }, 'float64', gradients.map(() => ({})))).toEqual(expected);
      expect(run({ momentum: 0.9, nesterov: true }, 'float64', gradients.map(() => ({ momentum: undefined })))).toEqual(expected);
    });

    it('refuses a momentum outside [0, 1) with a RangeError, leaving the optimiser as it was', () => {
      const w = parameter('w', [1, -2]);
      const optimiser = createOptimiser(sgd, { momentum: 0.9 }, [w]);
      w.grad.data.set([0.5, -1]);
      optimiser.step(0.1);
      const before = optimiser.state();
      const weights = Array.from(w.value.data);
      for (const momentum of [1, -0.1, Number.NaN]) {
        expect(() => optimiser.step(0.1, { momentum })).toThrow(RangeError);
      }
      expect(() => optimiser.step(0.1, { momentum: 1 })).toThrow(
        "sgd optimiser: the step's momentum (used as momentum) must be a number in [0, 1), got 1.",
      );
      expect(optimiser.state()).toEqual(before);
      expect(Array.from(w.value.data)).toEqual(weights);
    });

    it('without a configured momentum (no velocity), 0 is plain SGD and more is a ConfigError', () => {
      expect(run({}, 'float64', every(0))).toEqual(run({}));
      const w = parameter('w', [1]);
      const optimiser = createOptimiser(sgd, {}, [w]);
      const step = () => optimiser.step(0.1, { momentum: 0.95 });
      expect(step).toThrow(ConfigError);
      expect(step).toThrow(
        'optimiser.momentum (sgd): is 0, so the optimiser keeps no velocity, but the schedule sets momentum 0.95 for this step; ' +
          "set momentum > 0 (e.g. 0.9; the schedule's value replaces it every step) or stop the schedule varying momentum (one-cycle: cycleMomentum: false)",
      );
      expect(optimiser.state().step).toBe(0);
      expect(Array.from(w.value.data)).toEqual([1]);
    });

    it('is passed to the wasm kernel as well', () => {
      expectWasmMatchesJs(sgd, { momentum: 0.5, nesterov: true, weightDecay: 0.01 }, [{ momentum: 0.95 }, { momentum: 0.9 }, {}]);
      // and on wasm, too, an override equals the configured value bit for bit
      const wasm = (options: object, stepOptions?: StepOptions[]): number[] => {
        const w = parameter('w', [1, -2, 0.5, 3, -0.125], { dtype: 'float32' });
        const grads = [[[0.5, -1, 2, 0.25, -3]], [[-0.25, 0.5, -1, 1, 0]], [[1, -2, 0.5, -0.5, 2]]];
        trajectory(createOptimiser(sgd, options, [w], createWasmBackend()), [w], grads, 0.1, stepOptions);
        return bits(w.value.data);
      };
      expect(wasm({ momentum: 0.5 }, every(0.9))).toEqual(wasm({ momentum: 0.9 }));
    });

    it.each(['float32', 'float64'] as const)('resumes from state() bit for bit under a varying momentum (%s)', (dtype) => {
      expectResumeIsExact(sgd, { momentum: 0.9, nesterov: true, weightDecay: 0.01 }, dtype, (step) => 0.95 - 0.01 * step);
    });
  });
});
