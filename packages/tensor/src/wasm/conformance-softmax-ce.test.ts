import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import type { ClassLabels } from '../ops/softmax-cross-entropy.js';
import { type Rng, createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { type Place, put } from './test-placement.js';
import { testedFlavours } from './test-flavours.js';

/**
 * Conformance of the wasm softmaxCrossEntropy kernel against the JS reference. Both do the same
 * f64 operations in the same order; only exp and log come from different libraries
 * (AssemblyScript's Math against the JS engine's), each within an ulp of the exact value. Tolerance:
 *   loss: |wasm - js| <= 1e-14·|js|  (observed: at most 3e-16)
 *   grad: |wasm - js| <= 1e-6 / n    (n rows: every gradient value lies in [-1/n, 1/n], so this
 *         is about 8 float32 ulps of the largest; observed: identical in every value)
 * NaN is compared as NaN.
 */
const js = createJsBackend();
// [rows, columns]: widths around the 4-lane vector (K not a multiple of 4), one class, one row,
// the digits' [64, 10], wide rows, and an empty batch.
const matrices: ReadonlyArray<readonly [number, number]> = [[0, 5], [1, 1], [3, 1], [1, 7], [2, 3], [5, 9], [4, 10], [64, 10], [33, 17], [7, 515]];
const scales = [1, 10, 80];
const PLACES: readonly Place[] = ['plain', 'resident', 'view'];

/** Logits uniform in ±scale, with every fifth value at ±scale exactly (large magnitudes side by side). */
function logits(rng: Rng, rows: number, columns: number, scale: number): Tensor {
  const t = Tensor.zeros([rows, columns]);
  for (let i = 0; i < t.size; i++) t.data[i] = i % 5 === 0 ? (rng.next() < 0.5 ? -scale : scale) : rng.uniform(-scale, scale);
  return t;
}

function labelsFor(rng: Rng, rows: number, columns: number, wide: boolean): ClassLabels {
  const values = Array.from({ length: rows }, () => rng.int(columns));
  return wide ? Int32Array.from(values) : Uint8Array.from(values);
}

const close = (got: number, expected: number, tolerance: number): boolean =>
  Object.is(got, expected) || Math.abs(got - expected) <= tolerance;

function expectConforms(wasm: Backend, z: Tensor, labels: ClassLabels, smoothing: number, place: readonly [Place, Place], label: string): void {
  const rows = z.rows;
  const expectedGrad = Tensor.zeros(z.shape);
  const expectedLoss = js.softmaxCrossEntropy(z, labels, smoothing, expectedGrad);
  const x = put(wasm, z, place[0]);
  const grad = put(wasm, Tensor.from(z.shape, new Array<number>(z.size).fill(7)), place[1]);
  const loss = wasm.softmaxCrossEntropy(x, labels, smoothing, grad);
  if (!close(loss, expectedLoss, 1e-14 * Math.abs(expectedLoss))) expect.fail(`${label}: loss ${loss}, reference ${expectedLoss}`);
  for (let i = 0; i < z.size; i++) {
    if (!close(grad.data[i]!, expectedGrad.data[i]!, 1e-6 / rows)) {
      expect.fail(`${label} grad index ${i}: got ${grad.data[i]}, reference ${expectedGrad.data[i]}`);
    }
  }
  expect([...x.data], `${label}: logits untouched`).toEqual([...z.data]);
}

describe.each(testedFlavours())('wasm softmaxCrossEntropy (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('agrees on loss and gradient for logits up to ±80, every width, smoothing 0 and 0.1', () => {
    const rng = createRng(11);
    for (const [rows, columns] of matrices) {
      for (const scale of scales) {
        const z = logits(rng, rows, columns, scale);
        const labels = labelsFor(rng, rows, columns, scale !== 10);
        for (const smoothing of [0, 0.1]) {
          expectConforms(wasm, z, labels, smoothing, ['plain', 'plain'], `[${rows}, ${columns}] ±${scale} ε ${smoothing}`);
        }
      }
    }
  });

  it('agrees wherever logits and grad live (plain, resident, unaligned view)', () => {
    const rng = createRng(12);
    const z = logits(rng, 9, 10, 80);
    const labels = labelsFor(rng, 9, 10, true);
    for (const x of PLACES) {
      for (const g of PLACES) expectConforms(wasm, z, labels, 0.1, [x, g], `logits ${x}, grad ${g}`);
    }
  });

  it('keeps NaN to the rows that hold it, and float64 operands on the reference', () => {
    const z = Tensor.from([2, 3], [1, Number.NaN, 2, 1, 2, 3]);
    const grad = Tensor.zeros([2, 3]);
    expect(wasm.softmaxCrossEntropy(z, new Int32Array([0, 2]), 0, grad)).toBeNaN();
    expect(grad.data.subarray(0, 3).every(Number.isNaN)).toBe(true);
    expect(grad.data.subarray(3).some(Number.isNaN)).toBe(false);
    const z64 = logits(createRng(13), 4, 6, 80).to('float64');
    const labels = new Uint8Array([5, 0, 3, 3]);
    const expected = Tensor.zeros([4, 6], 'float64');
    const got = Tensor.zeros([4, 6], 'float64');
    expect(wasm.softmaxCrossEntropy(z64, labels, 0.1, got)).toBe(js.softmaxCrossEntropy(z64, labels, 0.1, expected));
    expect([...got.data]).toEqual([...expected.data]);
  });

  it('rejects a wrong label with the reference message, before touching grad', () => {
    const grad = Tensor.from([2, 10], new Array<number>(20).fill(3));
    expect(() => wasm.softmaxCrossEntropy(Tensor.zeros([2, 10]), new Uint8Array([9, 10]), 0, grad)).toThrow(
      new RangeError('softmaxCrossEntropy: label 10 of row 1 is not a class index in [0, 10) of the [2, 10] logits'),
    );
    expect(grad.data.every((v) => v === 3)).toBe(true);
  });
});
