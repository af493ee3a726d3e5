import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { randomTensor } from '../ops/test-helpers.js';
import { type Rng, createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { testedFlavours } from './test-flavours.js';

/**
 * Conformance of the wasm elementwise and row kernels against the JS reference. Tolerance: none.
 * Each wasm lane does what the reference does in double precision (an f32 add, sub or mul is
 * exact in double and rounds to the same float; products with a JS number are formed in f64;
 * sumRows adds rows in order in f64), so results must be identical value for value, including
 * -0, infinities and NaN (compared with Object.is, which ignores NaN payloads).
 */
const js = createJsBackend();
// Sizes around the 4-lane vector and 8-column blocks, plus an empty tensor.
const sizes = [0, 1, 3, 4, 5, 8, 9, 17, 1027];
// [rows, columns] for the row kernels.
const matrices: ReadonlyArray<readonly [number, number]> = [[0, 5], [1, 1], [3, 1], [1, 7], [2, 8], [5, 9], [4, 12], [33, 17], [64, 30], [7, 515]];
const slopes = [0, 0.25, 0.01, -1.5];

/** Random values with the special ones every kernel must treat like the reference. */
function values(rng: Rng, shape: readonly number[]): Tensor {
  const t = randomTensor(rng, shape);
  const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, -1e-40];
  for (let i = 0; i < t.size; i += 5) t.data[i] = specials[rng.int(specials.length)]!;
  return t;
}

function expectIdentical(got: Tensor, expected: Tensor, label: string): void {
  expect(got.shape, label).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    if (!Object.is(got.data[i], expected.data[i])) {
      expect.fail(`${label} index ${i}: got ${got.data[i]}, reference ${expected.data[i]}`);
    }
  }
}

type Case = (backend: Backend, rng: Rng, inPlace: boolean) => Tensor;

/** Runs a case on both backends with identical random streams; also in place where allowed. */
function conforms(wasm: Backend, label: string, run: Case, seed: number, inPlace = true): void {
  const modes = inPlace ? [false, true] : [false];
  for (const mode of modes) {
    const expected = run(js, createRng(seed), mode);
    const got = run(wasm, createRng(seed), mode);
    expectIdentical(got, expected, `${label}${mode ? ' (in place)' : ''}`);
  }
}

describe.each(testedFlavours())('wasm elementwise and row kernels (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('add, sub and mul', () => {
    for (const kernel of ['add', 'sub', 'mul'] as const) {
      for (const n of sizes) {
        conforms(wasm, `${kernel} [${n}]`, (backend, rng, inPlace) => {
          const a = values(rng, [n]);
          const b = values(rng, [n]);
          return backend[kernel](a, b, inPlace ? b : undefined);
        }, n);
      }
    }
  });

  it('scale and axpy with factors that are and are not float32 values', () => {
    for (const n of sizes) {
      for (const s of [...slopes, 1 / 3, 1e300]) {
        conforms(wasm, `scale [${n}] by ${s}`, (backend, rng, inPlace) => {
          const a = values(rng, [n]);
          return backend.scale(a, s, inPlace ? a : undefined);
        }, n);
        conforms(wasm, `axpy [${n}] alpha ${s}`, (backend, rng) => backend.axpy(s, values(rng, [n]), values(rng, [n])), n, false);
      }
    }
  });

  it('sgdStep, plain and with (Nesterov) momentum and weight decay, updates w and the velocity alike', () => {
    // Tolerance: the wasm kernel works in float32 lanes (fused in the relaxed build), the
    // reference in float64 rounded once, so each stored value may differ by a few float32 ulps:
    // |wasm - js| <= 1e-6 * (1 + |js|). NaN and infinities must match exactly.
    const settings = [
      { learningRate: 0.1, momentum: 0, weightDecay: 0, nesterov: false },
      { learningRate: 0.05, momentum: 0, weightDecay: 1e-3, nesterov: false },
      { learningRate: 0.05, momentum: 0.9, weightDecay: 0, nesterov: false },
      { learningRate: 0.3, momentum: 0.7, weightDecay: 1e-2, nesterov: true },
    ];
    const operands = (rng: Rng, n: number): Tensor[] =>
      [0, 1, 2].map((k) => {
        const t = randomTensor(rng, [n]);
        if (k === 1 && n > 3) [t.data[1], t.data[2]] = [Number.NaN, Number.POSITIVE_INFINITY];
        return t;
      });
    for (const options of settings) {
      for (const n of sizes) {
        const run = (backend: Backend): Tensor[] => {
          const [w, grad, velocity] = operands(createRng(n + 1), n) as [Tensor, Tensor, Tensor];
          backend.sgdStep(w, grad, options.momentum > 0 ? velocity : undefined, options);
          return [w, velocity];
        };
        const expected = run(js);
        run(wasm).forEach((got, t) =>
          got.data.forEach((x, i) => {
            const want = expected[t]!.data[i]!;
            const label = `sgdStep [${n}] ${JSON.stringify(options)} ${t === 0 ? 'w' : 'velocity'}[${i}]: got ${x}, reference ${want}`;
            if (!Number.isFinite(want)) expect(Object.is(x, want), label).toBe(true);
            else expect(Math.abs(x - want) <= 1e-6 * (1 + Math.abs(want)), label).toBe(true);
          }),
        );
      }
    }
  });

  it('leakyRelu and leakyReluBackward for ReLU and leaky slopes', () => {
    for (const n of sizes) {
      for (const slope of slopes) {
        conforms(wasm, `leakyRelu [${n}] slope ${slope}`, (backend, rng, inPlace) => {
          const x = values(rng, [n]);
          return backend.leakyRelu(x, slope, inPlace ? x : undefined);
        }, n);
        conforms(wasm, `leakyReluBackward [${n}] slope ${slope}`, (backend, rng, inPlace) => {
          const x = values(rng, [n]);
          const dy = values(rng, [n]);
          return backend.leakyReluBackward(x, slope, dy, inPlace ? dy : undefined);
        }, n);
      }
    }
  });

  it('addRowVector and sumRows', () => {
    for (const [rows, columns] of matrices) {
      const seed = rows * 1000 + columns;
      conforms(wasm, `addRowVector [${rows}, ${columns}]`, (backend, rng, inPlace) => {
        const x = values(rng, [rows, columns]);
        return backend.addRowVector(x, values(rng, [columns]), inPlace ? x : undefined);
      }, seed);
      conforms(wasm, `sumRows [${rows}, ${columns}]`, (backend, rng) => backend.sumRows(values(rng, [rows, columns])), seed, false);
      // Large magnitudes of both signs: an f32 running sum would differ from the f64 one.
      conforms(wasm, `sumRows cancelling [${rows}, ${columns}]`, (backend, rng) => {
        const x = randomTensor(rng, [rows, columns]).data.map((v, i) => (i % 3 === 0 ? v * 1e8 : v));
        return backend.sumRows(new Tensor([rows, columns], x));
      }, seed, false);
    }
  });

  it('kernels it delegates (activations, softmax, reductions, argmax) match too', () => {
    const rng = createRng(31);
    const x = randomTensor(rng, [13, 10]);
    const dy = randomTensor(rng, [13, 10]);
    for (const kernel of ['sigmoid', 'tanh', 'softmaxRows', 'logSoftmaxRows'] as const) {
      expectIdentical(wasm[kernel](x), js[kernel](x), kernel);
    }
    for (const kernel of ['sigmoidBackward', 'tanhBackward', 'softmaxBackward'] as const) {
      expectIdentical(wasm[kernel](x, dy), js[kernel](x, dy), kernel);
    }
    expect(wasm.argmaxRows(x)).toEqual(js.argmaxRows(x));
    expect(wasm.sum(x)).toBe(js.sum(x));
    expect(wasm.sumOfSquares(x)).toBe(js.sumOfSquares(x));
  });

  it('uses the reference kernels for float64 tensors, with identical results', () => {
    const rng = createRng(32);
    const a = randomTensor(rng, [9, 7], 'float64');
    const b = randomTensor(rng, [7, 5], 'float64');
    const bias = randomTensor(rng, [7], 'float64');
    expectIdentical(wasm.matmul(a, b), js.matmul(a, b), 'matmul float64');
    expectIdentical(wasm.addRowVector(a, bias), js.addRowVector(a, bias), 'addRowVector float64');
    expectIdentical(wasm.sumRows(a), js.sumRows(a), 'sumRows float64');
    expectIdentical(wasm.leakyRelu(a, 0.1), js.leakyRelu(a, 0.1), 'leakyRelu float64');
    expectIdentical(wasm.leakyReluBackward(a, 0.1, a), js.leakyReluBackward(a, 0.1, a), 'leakyReluBackward float64');
    expectIdentical(wasm.mul(a, a), js.mul(a, a), 'mul float64');
    expectIdentical(wasm.scale(a, 1 / 3), js.scale(a, 1 / 3), 'scale float64');
    expectIdentical(wasm.axpy(0.3, a, a.clone()), js.axpy(0.3, a, a.clone()), 'axpy float64');
    expect(wasm.matmul(a, b).dtype).toBe('float64');
  });
});
