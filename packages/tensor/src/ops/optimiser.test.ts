import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import type { AdamStepOptions, RmspropStepOptions } from './optimiser.js';
import { FLAGGED_KERNELS, flagCases } from './test-finite-steps.js';
import { expectClose } from './test-helpers.js';

const js = createJsBackend();
const f64 = (values: readonly number[]): Tensor => Tensor.from([values.length], values, 'float64');

// Step t = 1 with lr 0.1, beta1 0.5, beta2 0.75: stepSize = 0.1/(1 - 0.5) = 0.2 and
// rootCorrection = sqrt(1 - 0.75) = 0.5; epsilon 0.1 keeps the numbers readable.
const adamBase: AdamStepOptions = { stepSize: 0.2, rootCorrection: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 0.1, weightDecay: 0, decoupledDecay: 0 };
const rmspropBase: RmspropStepOptions = { learningRate: 0.1, alpha: 0.75, epsilon: 0.1, momentum: 0.5, weightDecay: 0.5 };

describe('adamStep (JS reference)', () => {
  it('Adam with L2 decay: g = grad + weightDecay·w, bias-corrected moments', () => {
    const [w, grad, m, v] = [f64([1, -2]), f64([0.1, -0.4]), f64([0.2, 0]), f64([0.04, 0.2])];
    expect(js.adamStep(w, grad, m, v, { ...adamBase, weightDecay: 0.1 })).toBe(true);
    // g = [0.1 + 0.1, -0.4 - 0.2] = [0.2, -0.6]
    // m = 0.5 m + 0.5 g = [0.2, -0.3];  v = 0.75 v + 0.25 g² = [0.03 + 0.01, 0.15 + 0.09] = [0.04, 0.24]
    // w = w - 0.2 m / (sqrt(v)/0.5 + 0.1): 1 - 0.04/(0.4 + 0.1) = 0.92;
    //     -2 + 0.06/(0.9797958971 + 0.1) = -1.9444339433
    expectClose(m.data, [0.2, -0.3], 1e-15);
    expectClose(v.data, [0.04, 0.24], 1e-15);
    expectClose(w.data, [0.92, -1.9444339433402145], 1e-15);
    expect(Array.from(grad.data)).toEqual([0.1, -0.4]);
  });

  it('AdamW: w shrinks by decoupledDecay·w first and the moments see the raw gradient', () => {
    const [w, grad, m, v] = [f64([1, -2]), f64([0.1, -0.4]), f64([0.2, 0]), f64([0.04, 0.2])];
    js.adamStep(w, grad, m, v, { ...adamBase, decoupledDecay: 0.5 });
    // w' = 0.5 w = [0.5, -1];  m = [0.1 + 0.05, -0.2] = [0.15, -0.2];  v = [0.03 + 0.0025, 0.15 + 0.04]
    // w = 0.5 - 0.03/(sqrt(0.0325)/0.5 + 0.1) = 0.4348612181;  -1 + 0.04/(sqrt(0.19)/0.5 + 0.1) = -0.9588384113
    expectClose(m.data, [0.15, -0.2], 1e-15);
    expectClose(v.data, [0.0325, 0.19], 1e-15);
    expectClose(w.data, [0.4348612181134003, -0.9588384112688995], 1e-15);
  });

  it('float32 operands: the float64 result rounded once per stored value', () => {
    const rng = createRng(3);
    const values = (low: number, high: number): number[] => Array.from({ length: 9 }, () => Math.fround(rng.uniform(low, high)));
    const start = [values(-1, 1), values(-1, 1), values(-1, 1), values(0, 1)];
    const options = { ...adamBase, weightDecay: 0.01, decoupledDecay: 0.003 };
    const run = (dtype: DType): Tensor[] => {
      const [w, grad, m, v] = start.map((x) => Tensor.from([x.length], x, dtype)) as [Tensor, Tensor, Tensor, Tensor];
      js.adamStep(w, grad, m, v, options);
      return [w, m, v];
    };
    const wide = run('float64');
    run('float32').forEach((t, k) => expect(Array.from(t.data)).toEqual(Array.from(wide[k]!.data, Math.fround)));
  });
});

describe('rmspropStep (JS reference)', () => {
  it('with momentum: b = momentum·b + g/(sqrt(s) + ε), w -= lr·b', () => {
    const [w, grad, s, b] = [f64([1, -2]), f64([0.5, -0.4]), f64([0, 0.2]), f64([0.4, -1])];
    expect(js.rmspropStep(w, grad, s, b, rmspropBase)).toBe(true);
    // g = grad + 0.5 w = [1, -1.4];  s = 0.75 s + 0.25 g² = [0.25, 0.15 + 0.49] = [0.25, 0.64]
    // u = g / (sqrt(s) + 0.1) = [1/0.6, -1.4/0.9];  b = 0.5 b + u = [0.2 + 1.6667, -0.5 - 1.5556]
    expectClose(s.data, [0.25, 0.64], 1e-15);
    expectClose(b.data, [0.2 + 1 / 0.6, -0.5 - 1.4 / 0.9], 1e-15);
    expectClose(w.data, [1 - 0.1 * (0.2 + 1 / 0.6), -2 + 0.1 * (0.5 + 1.4 / 0.9)], 1e-15);
    expect(Array.from(grad.data)).toEqual([0.5, -0.4]);
  });

  it('without a velocity: w -= lr·g/(sqrt(s) + ε), momentum ignored', () => {
    const [w, grad, s] = [f64([1, -2]), f64([0.5, -0.4]), f64([0, 0.2])];
    js.rmspropStep(w, grad, s, undefined, rmspropBase);
    expectClose(s.data, [0.25, 0.64], 1e-15);
    expectClose(w.data, [1 - 0.1 / 0.6, -2 + 0.14 / 0.9], 1e-15);
  });

  it('float32 operands: the float64 result rounded once per stored value', () => {
    const rng = createRng(4);
    const values = (low: number, high: number): number[] => Array.from({ length: 9 }, () => Math.fround(rng.uniform(low, high)));
    const start = [values(-1, 1), values(-1, 1), values(0, 1), values(-1, 1)];
    const run = (dtype: DType): Tensor[] => {
      const [w, grad, s, b] = start.map((x) => Tensor.from([x.length], x, dtype)) as [Tensor, Tensor, Tensor, Tensor];
      js.rmspropStep(w, grad, s, b, { ...rmspropBase, alpha: 0.99, epsilon: 1e-8 });
      return [w, s, b];
    };
    const wide = run('float64');
    run('float32').forEach((t, k) => expect(Array.from(t.data)).toEqual(Array.from(wide[k]!.data, Math.fround)));
  });
});

describe.each(['float32', 'float64'] as const)('the finite-weights flag of the step kernels (JS reference, %s)', (dtype) => {
  const cases = flagCases(dtype);

  it.each(FLAGGED_KERNELS.map((k) => [k.name, k] as const))('%s: true when every written weight is finite, false for NaN or ±Infinity anywhere', (_name, kernel) => {
    for (const c of cases) {
      const w = c.w.clone();
      const slots = Array.from({ length: kernel.slots }, () => Tensor.zeros(w.shape, dtype));
      const finite = kernel.step(js, w, c.grad, slots, c.rate);
      const isFinite = Array.from(w.data, Number.isFinite);
      // Only the broken weight goes bad (the overflow in float32 only once stored).
      expect(isFinite, c.label).toEqual(isFinite.map((_, i) => i !== c.at));
      expect(finite, c.label).toBe(c.breakage === 'finite');
    }
  });
});

describe.each([
  ['js', js],
  ['wasm', createWasmBackend({ flavour: 'simd' })],
] as const)('adamStep and rmspropStep argument checks (%s backend)', (_name, backend: Backend) => {
  const f32 = (n: number): Tensor => backend.zeros([n]);
  /** Expects `call` to throw `message` and to leave every tensor of `touched` as it was. */
  const rejects = (call: () => unknown, message: string | RegExp, touched: readonly Tensor[]): void => {
    const before = touched.map((t) => Array.from(t.data));
    expect(call).toThrow(message);
    touched.forEach((t, k) => expect(Array.from(t.data)).toEqual(before[k]));
  };

  it('adamStep: sizes and dtypes of w, grad, m and v', () => {
    const [w, grad, m, v] = [f32(4), f32(4), f32(4), f32(4)];
    w.data.fill(1);
    grad.data.fill(0.5);
    const all = [w, grad, m, v];
    rejects(() => backend.adamStep(w, f32(5), m, v, adamBase), 'adamStep: w is [4] but grad is [5]', all);
    rejects(() => backend.adamStep(w, grad, f32(3), v, adamBase), 'adamStep: w is [4] but m is [3]', all);
    rejects(() => backend.adamStep(w, grad, m, f32(5), adamBase), 'adamStep: w is [4] but v is [5]', all);
    rejects(() => backend.adamStep(w, grad, m, Tensor.zeros([4], 'float64'), adamBase), 'adamStep: w is [4] float32 but v is [4] float64', all);
    rejects(() => backend.adamStep(w, grad.to('float64'), m, v, adamBase), 'adamStep: w is [4] float32 but grad is [4] float64', all);
    // A matrix of the same size is fine: the step is per element.
    backend.adamStep(w, grad, new Tensor([2, 2], m.data), v, adamBase);
    expect(Array.from(m.data)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('adamStep: no two of w, grad, m and v may share memory', () => {
    const [w, grad, m, v] = [f32(4), f32(4), f32(4), f32(4)];
    const all = [w, grad, m, v];
    rejects(() => backend.adamStep(w, w, m, v, adamBase), 'adamStep: w overlaps grad', all);
    rejects(() => backend.adamStep(w, grad, w, v, adamBase), 'adamStep: w overlaps m', all);
    rejects(() => backend.adamStep(w, grad, m, w, adamBase), 'adamStep: w overlaps v', all);
    rejects(() => backend.adamStep(w, grad, grad, v, adamBase), 'adamStep: m overlaps grad', all);
    rejects(() => backend.adamStep(w, grad, m, grad, adamBase), 'adamStep: v overlaps grad', all);
    rejects(() => backend.adamStep(w, grad, m, m, adamBase), 'adamStep: m overlaps v', all);
    // Partial overlap of two slots (views into one buffer) is caught too.
    const shared = f32(6);
    const [a, b] = [new Tensor([4], shared.data.subarray(0, 4)), new Tensor([4], shared.data.subarray(2, 6))];
    rejects(() => backend.adamStep(w, grad, a, b, adamBase), 'adamStep: m overlaps v', [w, grad, shared]);
  });

  it('rmspropStep: sizes, dtypes and aliasing of w, grad, squareAverage and velocity', () => {
    const [w, grad, s, b] = [f32(4), f32(4), f32(4), f32(4)];
    w.data.fill(1);
    const all = [w, grad, s, b];
    rejects(() => backend.rmspropStep(w, f32(3), s, b, rmspropBase), 'rmspropStep: w is [4] but grad is [3]', all);
    rejects(() => backend.rmspropStep(w, grad, f32(5), b, rmspropBase), 'rmspropStep: w is [4] but squareAverage is [5]', all);
    rejects(() => backend.rmspropStep(w, grad, s, f32(5), rmspropBase), 'rmspropStep: w is [4] but velocity is [5]', all);
    rejects(() => backend.rmspropStep(w, grad, s.to('float64'), undefined, rmspropBase), 'rmspropStep: w is [4] float32 but squareAverage is [4] float64', all);
    rejects(() => backend.rmspropStep(w, w, s, b, rmspropBase), 'rmspropStep: w overlaps grad', all);
    rejects(() => backend.rmspropStep(w, grad, w, b, rmspropBase), 'rmspropStep: w overlaps squareAverage', all);
    rejects(() => backend.rmspropStep(w, grad, s, w, rmspropBase), 'rmspropStep: w overlaps velocity', all);
    rejects(() => backend.rmspropStep(w, grad, grad, b, rmspropBase), 'rmspropStep: squareAverage overlaps grad', all);
    rejects(() => backend.rmspropStep(w, grad, s, grad, rmspropBase), 'rmspropStep: velocity overlaps grad', all);
    rejects(() => backend.rmspropStep(w, grad, s, s, rmspropBase), 'rmspropStep: squareAverage overlaps velocity', all);
  });
});
