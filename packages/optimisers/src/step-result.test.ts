import { describe, expect, it } from 'vitest';
import type { OptimiserPlugin, Parameter } from '@scratchnet/spec';
import { type Backend, type DType, createJsBackend, createWasmBackend } from '@scratchnet/tensor';
import { adam, adamw, rmsprop, sgd } from './index.js';
import { createOptimiser, parameter } from './test-support.js';

// Every built-in optimiser reports, from its step kernels, the first parameter whose weights
// are no longer all finite, so training need not scan the weights after each step.
const settings: readonly (readonly [string, OptimiserPlugin<never>, object])[] = [
  ['sgd', sgd, {}],
  ['sgd (Nesterov momentum, weight decay)', sgd, { momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['adam', adam, { weightDecay: 0.01 }],
  ['adamw', adamw, {}],
  ['rmsprop', rmsprop, {}],
  ['rmsprop (momentum)', rmsprop, { momentum: 0.9 }],
];
const backends: readonly (readonly [string, Backend, DType])[] = [
  ['js float64', createJsBackend(), 'float64'],
  ['js float32', createJsBackend(), 'float32'],
  ['wasm float32', createWasmBackend(), 'float32'],
];

/** Three parameters (sizes 5, 3 and 6: SIMD lanes and scalar tails) with finite gradients. */
function model(dtype: DType): Parameter[] {
  const params = [
    parameter('layers.0.weight', [1, -2, 0.5, 3, -0.125], { dtype }),
    parameter('layers.0.bias', [0.25, -0.75, 2], { dtype, decay: false }),
    parameter('layers.2.weight', [0.5, 1, -1, 2, -0.5, 0.75], { dtype }),
  ];
  params.forEach((p, k) => {
    for (let i = 0; i < p.grad.size; i++) p.grad.data[i] = 0.1 * (k + 1) * (i % 2 === 0 ? 1 : -1);
  });
  return params;
}

describe.each(settings)('%s: step() reports non-finite weights', (_name, plugin, options) => {
  it.each(backends)('on the %s backend', (_backend, backend, dtype) => {
    const finite = model(dtype);
    expect(createOptimiser(plugin, options, finite, backend).step(0.1)).toEqual({});
    expect(finite.every((p) => p.value.data.every(Number.isFinite))).toBe(true);

    const one = model(dtype);
    one[2]!.grad.data[4] = Number.NaN;
    expect(createOptimiser(plugin, options, one, backend).step(0.1)).toEqual({ nonFinite: 'layers.2.weight' });
    expect(Number.isNaN(one[2]!.value.data[4])).toBe(true);

    // Two bad parameters: the first in parameter order is named, and every parameter is still updated.
    const two = model(dtype);
    const before = model(dtype).map((p) => Array.from(p.value.data));
    two[2]!.grad.data[0] = Number.NaN;
    two[1]!.grad.data[2] = Number.POSITIVE_INFINITY;
    expect(createOptimiser(plugin, options, two, backend).step(0.1)).toEqual({ nonFinite: 'layers.0.bias' });
    expect(Number.isFinite(two[1]!.value.data[2])).toBe(false);
    expect(Number.isNaN(two[2]!.value.data[0])).toBe(true);
    two.forEach((p, k) => expect(Array.from(p.value.data)).not.toEqual(before[k]));
  });
});
