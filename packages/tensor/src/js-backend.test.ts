import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { FAMILIES } from './ops/families.js';
import { createJsBackend } from './js-backend.js';
import { expectClose, randomTensor } from './ops/test-helpers.js';
import { createRng } from './rng.js';
import { type DType, Tensor } from './tensor.js';

/** Mean cross-entropy of softmax(x·W + b) against integer targets. */
function loss(backend: Backend, x: Tensor, w: Tensor, b: Tensor, targets: readonly number[]): number {
  const logP = backend.logSoftmaxRows(backend.addRowVector(backend.matmul(x, w), b));
  let total = 0;
  targets.forEach((t, r) => (total -= logP.data[r * logP.columns + t]!));
  return total / targets.length;
}

describe('createJsBackend', () => {
  it('is named js and has the methods of every op family and the lifecycle, nothing else', () => {
    const backend = createJsBackend();
    expect(backend.name).toBe('js');
    expect(backend.threads).toBe(1);
    const methods = FAMILIES.flatMap((family) => Object.keys(family.methods(family.reference as never)));
    expect(methods).toContain('matmul');
    expect(methods).toContain('sgdStep');
    for (const name of [...methods, 'zeros', 'residentBytes', 'dispose']) expect(typeof (backend as unknown as Record<string, unknown>)[name], name).toBe('function');
    expect(Object.keys(backend).sort()).toEqual(['name', 'threads', 'zeros', 'residentBytes', 'dispose', ...methods].sort());
  });

  it('dispose resolves and may be called twice', async () => {
    const backend = createJsBackend();
    await expect(backend.dispose()).resolves.toBeUndefined();
    await expect(backend.dispose()).resolves.toBeUndefined();
  });

  it('zeros gives plain zero-filled tensors of the requested shape and dtype', () => {
    const backend = createJsBackend();
    const single = backend.zeros([2, 3]);
    expect(single.shape).toEqual([2, 3]);
    expect(single.data).toEqual(new Float32Array(6));
    const double = backend.zeros([4], 'float64');
    expect(double.data).toEqual(new Float64Array(4));
    // Each call is fresh memory, not a shared buffer.
    single.data[0] = 1;
    expect(backend.zeros([2, 3]).data[0]).toBe(0);
    expect(() => backend.zeros([2, -1])).toThrow(
      new RangeError('zeros: shape [2, -1] is invalid; every dimension must be an integer >= 0'),
    );
    expect(() => backend.zeros([2], 'int8' as DType)).toThrow(
      new RangeError(`zeros: dtype "int8" is not supported; use 'float32' or 'float64'`),
    );
  });

  it('composes into a dense + softmax cross-entropy gradient that matches finite differences', () => {
    const backend = createJsBackend();
    const rng = createRng(1);
    const [n, d, h] = [4, 5, 3];
    const x = randomTensor(rng, [n, d], 'float64');
    const w = randomTensor(rng, [d, h], 'float64');
    const b = randomTensor(rng, [h], 'float64');
    const targets = [0, 2, 1, 2];

    // Backward pass the way a dense layer and a softmax loss would run it.
    const p = backend.softmaxRows(backend.addRowVector(backend.matmul(x, w), b));
    const dz = p.clone();
    targets.forEach((t, r) => (dz.data[r * h + t]! -= 1));
    backend.scale(dz, 1 / n, dz);
    const dw = backend.matmul(x, dz, { transposeA: true });
    const db = backend.sumRows(dz);
    const dx = backend.matmul(dz, w, { transposeB: true });

    const numeric = (t: Tensor): number[] =>
      Array.from(t.data, (_, i) => {
        const original = t.data[i]!;
        const eps = 1e-6;
        t.data[i] = original + eps;
        const up = loss(backend, x, w, b, targets);
        t.data[i] = original - eps;
        const down = loss(backend, x, w, b, targets);
        t.data[i] = original;
        return (up - down) / (2 * eps);
      });
    expectClose(dw.data, numeric(w), 1e-7);
    expectClose(db.data, numeric(b), 1e-7);
    expectClose(dx.data, numeric(x), 1e-7);
    expect(dw.shape).toEqual([d, h]);
    expect(dx.shape).toEqual([n, d]);
  });

  it('sgdStep follows the PyTorch SGD formulas and rejects operands that do not fit', () => {
    const backend = createJsBackend();
    const w = Tensor.from([2], [1, -2], 'float64');
    const v = Tensor.from([2], [0.5, 0], 'float64');
    const g = Tensor.from([2], [0.25, 1], 'float64');
    // g' = g + 0.1 w = [0.35, 0.8]; v = 0.9 v + g' = [0.8, 0.8]; nesterov step = g' + 0.9 v = [1.07, 1.52]
    backend.sgdStep(w, g, v, { learningRate: 0.5, momentum: 0.9, weightDecay: 0.1, nesterov: true });
    expect([...v.data].map((x) => +x.toFixed(12))).toEqual([0.8, 0.8]);
    expect([...w.data].map((x) => +x.toFixed(12))).toEqual([0.465, -2.76]);
    backend.sgdStep(w, g, undefined, { learningRate: 1, momentum: 0.9, weightDecay: 0, nesterov: false });
    expect([...w.data].map((x) => +x.toFixed(12))).toEqual([0.215, -3.76]);
    const options = { learningRate: 1, momentum: 0, weightDecay: 0, nesterov: false };
    expect(() => backend.sgdStep(w, Tensor.zeros([3], 'float64'), undefined, options)).toThrow(/sgdStep/);
    expect(() => backend.sgdStep(w, w, undefined, options)).toThrow('sgdStep: w overlaps grad');
    expect(() => backend.sgdStep(w, g, g, options)).toThrow('sgdStep: velocity overlaps grad');
  });
});
