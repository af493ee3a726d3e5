import { describe, expect, it } from 'vitest';
import { Tensor } from '@scratchnet/tensor';
import { createSlotOptimiser } from './slot-optimiser.js';
import { parameter } from './test-support.js';

// A toy optimiser: slot "sum" accumulates gradients, slot "last" remembers the step number;
// w -= lr * sum.
function toy(params = [parameter('layers.0.weight', [1, 2, 3]), parameter('layers.0.bias', [0])]) {
  const optimiser = createSlotOptimiser('toy', params, ['sum', 'last'], (param, [sum, last], learningRate, step) => {
    for (let i = 0; i < param.value.size; i++) {
      sum![i] = sum![i]! + param.grad.data[i]!;
      last![i] = step;
      param.value.data[i] = param.value.data[i]! - learningRate * sum![i]!;
    }
  });
  for (const param of params) param.grad.data.fill(1);
  return { optimiser, params };
}

describe('createSlotOptimiser', () => {
  it('names buffers <param>.<slot>, starts them at 0 and counts steps from 1', () => {
    const { optimiser, params } = toy();
    const initial = optimiser.state();
    expect(initial.step).toBe(0);
    expect(Object.keys(initial.buffers)).toEqual([
      'layers.0.weight.sum',
      'layers.0.weight.last',
      'layers.0.bias.sum',
      'layers.0.bias.last',
    ]);
    expect(Array.from(initial.buffers['layers.0.weight.sum']!)).toEqual([0, 0, 0]);
    optimiser.step(0.5);
    optimiser.step(0.5);
    const state = optimiser.state();
    expect(state.step).toBe(2);
    expect(Array.from(state.buffers['layers.0.weight.last']!)).toEqual([2, 2, 2]);
    // w = 1 - 0.5*1 - 0.5*2 = -0.5
    expect(params[0]!.value.data[0]).toBe(-0.5);
  });

  it('returns copies that later steps do not change, and that do not write back', () => {
    const { optimiser } = toy();
    optimiser.step(0.1);
    const state = optimiser.state();
    const sum = state.buffers['layers.0.bias.sum']!;
    optimiser.step(0.1);
    expect(Array.from(sum)).toEqual([1]);
    sum[0] = 99;
    expect(Array.from(optimiser.state().buffers['layers.0.bias.sum']!)).toEqual([2]);
  });

  it('loads state as a copy and continues from its step', () => {
    const { optimiser } = toy();
    optimiser.step(0.1);
    const saved = optimiser.state();
    const fresh = toy().optimiser;
    fresh.loadState(saved);
    saved.buffers['layers.0.bias.sum']![0] = 99;
    fresh.step(0.1);
    expect(fresh.state().step).toBe(2);
    expect(Array.from(fresh.state().buffers['layers.0.bias.sum']!)).toEqual([2]);
  });

  it('names a missing buffer', () => {
    const { optimiser } = toy();
    const { step, buffers } = optimiser.state();
    const { ['layers.0.bias.last']: _dropped, ...rest } = buffers;
    expect(() => toy().optimiser.loadState({ step, buffers: rest })).toThrow(
      'toy optimiser: cannot load state: buffer "layers.0.bias.last" is missing. ' +
        'The state was saved by a different optimiser, optimiser options or model.',
    );
  });

  it('names a buffer of the wrong length', () => {
    const { buffers } = toy().optimiser.state();
    const state = { step: 1, buffers: { ...buffers, 'layers.0.weight.sum': new Float64Array(4) } };
    expect(() => toy().optimiser.loadState(state)).toThrow(
      'toy optimiser: cannot load state: buffer "layers.0.weight.sum" has 4 values, expected 3 ' +
        '(the size of the parameter). The state belongs to a model of another shape.',
    );
  });

  it('names unexpected buffers', () => {
    const { buffers } = toy().optimiser.state();
    const state = { step: 1, buffers: { ...buffers, 'layers.1.weight.sum': new Float64Array(1) } };
    expect(() => toy().optimiser.loadState(state)).toThrow(
      /unexpected buffer "layers\.1\.weight\.sum"; expected only "layers\.0\.weight\.sum", .*"layers\.0\.bias\.last"\./,
    );
  });

  it('rejects a bad step count', () => {
    const { buffers } = toy().optimiser.state();
    expect(() => toy().optimiser.loadState({ step: -1, buffers })).toThrow('step must be an integer >= 0, got -1');
    expect(() => toy().optimiser.loadState({ step: 1.5, buffers })).toThrow('step must be an integer >= 0, got 1.5');
  });

  it('leaves the optimiser unchanged when a load fails', () => {
    const { optimiser } = toy();
    optimiser.step(0.1);
    const before = optimiser.state();
    const bad = { step: 7, buffers: { ...before.buffers, 'layers.0.weight.sum': new Float64Array([5, 5, 5]) } };
    delete (bad.buffers as Record<string, unknown>)['layers.0.bias.last'];
    expect(() => optimiser.loadState(bad)).toThrow(/missing/);
    expect(optimiser.state()).toEqual(before);
  });

  it('rejects duplicate parameter names and grads that do not match their parameter', () => {
    expect(() => toy([parameter('a', [1]), parameter('a', [2])])).toThrow(
      'toy optimiser: two parameters are named "a"; parameter names must be unique',
    );
    const mismatched = { ...parameter('a', [1, 2]), grad: Tensor.zeros([3], 'float64') };
    expect(() => toy([mismatched])).toThrow(
      'toy optimiser: parameter "a" has 2 float64 values but its grad has 3 float64 values; they must match.',
    );
  });

  it('allocates buffers in the dtype of each parameter', () => {
    const { optimiser } = toy([parameter('single', [1], { dtype: 'float32' }), parameter('double', [1])]);
    const { buffers } = optimiser.state();
    expect(buffers['single.sum']).toBeInstanceOf(Float32Array);
    expect(buffers['double.sum']).toBeInstanceOf(Float64Array);
  });

  it("passes each step's options to the update ({} when step() got none)", () => {
    const seen: unknown[] = [];
    const optimiser = createSlotOptimiser('toy', [parameter('w', [1])], [], (_param, _slots, _lr, _step, _tensors, options) => {
      seen.push(options);
    });
    optimiser.step(0.1);
    optimiser.step(0.1, { momentum: 0.9 });
    expect(seen).toEqual([{}, { momentum: 0.9 }]);
  });

  it('does not count a step whose update throws', () => {
    const optimiser = createSlotOptimiser('toy', [parameter('w', [1])], [], (_param, _slots, _lr, _step, _tensors, options) => {
      if (options.momentum === 1) throw new RangeError('no');
    });
    optimiser.step(0.1);
    expect(() => optimiser.step(0.1, { momentum: 1 })).toThrow('no');
    expect(optimiser.state().step).toBe(1);
  });

  it("names the first parameter whose update reports non-finite weights, {} when all report finite", () => {
    const params = [parameter('a', [1]), parameter('b', [2]), parameter('c', [3])];
    let finite: readonly boolean[] = [];
    const updated: string[] = [];
    const optimiser = createSlotOptimiser('toy', params, [], (param) => {
      updated.push(param.name);
      return finite[params.indexOf(param)]!;
    });
    finite = [true, true, true];
    expect(optimiser.step(0.1)).toEqual({});
    finite = [true, false, false];
    expect(optimiser.step(0.1)).toEqual({ nonFinite: 'b' });
    finite = [false, true, false];
    expect(optimiser.step(0.1)).toEqual({ nonFinite: 'a' });
    // A bad parameter does not stop the step: every parameter is updated and the step counted.
    expect(updated).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
    expect(optimiser.state().step).toBe(3);
  });

  it('reports nothing when an update does not check, so that training scans the weights itself', () => {
    // The toy update returns nothing: it made no check.
    expect(toy().optimiser.step(0.1)).toBeUndefined();
    // An unchecked parameter before a bad one might be the first bad one, so the step names none.
    const params = [parameter('a', [1]), parameter('b', [2])];
    const optimiser = createSlotOptimiser('toy', params, [], (param) => (param.name === 'a' ? undefined : false));
    expect(optimiser.step(0.1)).toBeUndefined();
  });
});
