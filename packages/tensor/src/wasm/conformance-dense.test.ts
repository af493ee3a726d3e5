import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import type { DenseActivation } from '../ops/dense.js';
import {
  DENSE_ACTIVATIONS,
  denseBias,
  denseOperand,
  describeActivation,
  expectSameBits,
  separateBackward,
  separateForward,
} from '../ops/test-dense.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { testedFlavours } from './test-flavours.js';
import { type Place, put } from './test-placement.js';
import { type ThreadedWasmBackend, createThreadedWasmBackend } from './threads.node.js';

/**
 * Conformance of the wasm dense ops. Against the separate wasm ops (matmul, addRowVector, the
 * activation and its backward, sumRows) they must agree bit for bit: the fused kernel is those
 * kernels composed, and the network's fusion relies on it. Against the JS reference they agree
 * within matmul's float32 bound: |wasm - js| <= (k + 2)·2^-24·(Σ|a·b| + |bias|), plus two ulps
 * of y for the rounding of sigmoid and tanh (whose slopes are at most 1). The backward is given
 * the same y on both sides, so dz is the same and only its products differ.
 */
const U = 2 ** -24;
const js = createJsBackend();
// [rows, inputs, units]: one of everything, odd sizes past the 4×8 tile, a batch of 0, the
// mlp-small layers, the 32x32 digits' per-sample layer, and past the 64-row and 256-deep blocks.
const SHAPES = [[1, 1, 1], [3, 5, 2], [7, 13, 5], [0, 3, 2], [64, 784, 30], [64, 30, 60], [64, 60, 10], [1, 1024, 16], [130, 300, 21]] as const;

function expectFusedEqualsSeparate(backend: Backend, label: string, shape: readonly [number, number, number], activation: DenseActivation, places: readonly Place[], seed: number): void {
  const [rows, inputs, units] = shape;
  const rng = createRng(seed);
  const x = denseOperand(rng, [rows, inputs], 1, 'float32', 5);
  const w = denseOperand(rng, [inputs, units], 1 / Math.sqrt(inputs));
  const b = denseBias(rng, units);
  const dy = denseOperand(rng, [rows, units], 1);
  const separate = separateForward(backend, x, w, b, activation);
  const separateGrads = separateBackward(backend, x, w, separate.z, separate.y, dy, activation, true, true);
  const [px, pw, pout, pgrad] = places;
  const [fx, fw, fb, fdy] = [put(backend, x, px!), put(backend, w, pw!), put(backend, b, pw!), put(backend, dy, pgrad!)];
  const y = put(backend, Tensor.from([rows, units], new Array<number>(rows * units).fill(7)), pout!);
  backend.denseForward(fx, fw, fb, activation, y);
  expectSameBits(y.data, separate.y.data, `${label} y`);
  const grads = { weight: put(backend, Tensor.zeros([inputs, units]), pgrad!), bias: put(backend, Tensor.zeros([units]), pgrad!) };
  const dx = put(backend, Tensor.zeros([rows, inputs]), pgrad!);
  backend.denseBackward(fx, fw, y, fdy, activation, grads, dx);
  expectSameBits(grads.weight.data, separateGrads.dw.data, `${label} dW`);
  expectSameBits(grads.bias.data, separateGrads.db!.data, `${label} db`);
  expectSameBits(dx.data, separateGrads.dx!.data, `${label} dx`);
  expectSameBits(fdy.data, dy.data, `${label} dy untouched`);
}

/** |got - js| within the float32 GEMM bound of each value (see the file comment). */
function expectWithinBound(got: Tensor, reference: Tensor, absolute: Tensor, k: number, extra: (i: number) => number, label: string): void {
  for (let i = 0; i < got.size; i++) {
    const bound = (k + 2) * U * absolute.data[i]! + extra(i);
    if (!(Math.abs(got.data[i]! - reference.data[i]!) <= bound)) {
      expect.fail(`${label} index ${i}: got ${got.data[i]}, reference ${reference.data[i]}, bound ${bound}`);
    }
  }
}

const abs = (t: Tensor): Tensor => new Tensor(t.shape, t.data.map(Math.abs));

describe.each(testedFlavours())('wasm denseForward and denseBackward (%s)', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('equal the separate wasm ops bit for bit, every activation and shape', () => {
    for (const shape of SHAPES) {
      for (const activation of DENSE_ACTIVATIONS) {
        const label = `[${shape.join(', ')}] ${describeActivation(activation)}`;
        expectFusedEqualsSeparate(wasm, label, shape, activation, ['plain', 'plain', 'plain', 'plain'], shape[0] + 7 * shape[1]);
      }
    }
  });

  it('equal them wherever the operands live (plain, resident, unaligned view)', () => {
    const places: readonly Place[] = ['plain', 'resident', 'view'];
    for (const [i, operands] of places.entries()) {
      for (const [j, results] of places.entries()) {
        for (const activation of [DENSE_ACTIVATIONS[1]!, DENSE_ACTIVATIONS[3]!]) {
          const label = `operands ${operands}, results ${results} ${describeActivation(activation)}`;
          expectFusedEqualsSeparate(wasm, label, [9, 37, 11], activation, [operands, operands, results, results], 3 * i + j);
        }
      }
    }
  });

  it('agree with the JS reference within the float32 GEMM bound', () => {
    const rng = createRng(31);
    for (const [rows, inputs, units] of SHAPES) {
      for (const activation of DENSE_ACTIVATIONS) {
        const label = `[${rows}, ${inputs}, ${units}] ${describeActivation(activation)}`;
        const x = denseOperand(rng, [rows, inputs], 1, 'float32', 5);
        const w = denseOperand(rng, [inputs, units], 1 / Math.sqrt(inputs));
        const b = denseBias(rng, units);
        const y = wasm.denseForward(x, w, b, activation);
        const reference = js.denseForward(x, w, b, activation);
        const absolute = js.addRowVector(js.matmul(abs(x), abs(w)), abs(b));
        expectWithinBound(y, reference, absolute, inputs, (i) => 2 * U * Math.abs(reference.data[i]!), `${label} y`);

        const dy = denseOperand(rng, [rows, units], 1);
        const grads = { weight: Tensor.zeros([inputs, units]), bias: Tensor.zeros([units]) };
        const expected = { weight: Tensor.zeros([inputs, units]), bias: Tensor.zeros([units]) };
        const dx = wasm.denseBackward(x, w, reference, dy, activation, grads)!;
        const dxReference = js.denseBackward(x, w, reference, dy, activation, expected)!;
        const dzAbs = new Tensor([rows, units], dzMagnitudes(reference, dy, activation));
        expectWithinBound(grads.weight, expected.weight, js.matmul(abs(x), dzAbs, { transposeA: true }), rows, () => 0, `${label} dW`);
        expectSameBits(grads.bias.data, expected.bias.data, `${label} db`);
        expectWithinBound(dx, dxReference, js.matmul(dzAbs, abs(w), { transposeB: true }), units, () => 0, `${label} dx`);
      }
    }
  });

  it('hands float64 operands to the reference kernels', () => {
    const rng = createRng(32);
    const x = denseOperand(rng, [5, 6], 1, 'float64');
    const w = denseOperand(rng, [6, 3], 1, 'float64');
    const b = denseBias(rng, 3, 'float64');
    const dy = denseOperand(rng, [5, 3], 1, 'float64');
    for (const activation of DENSE_ACTIVATIONS) {
      const y = wasm.denseForward(x, w, b, activation);
      expectSameBits(y.data, js.denseForward(x, w, b, activation).data, 'y');
      const [got, expected] = [{ weight: Tensor.zeros([6, 3], 'float64') }, { weight: Tensor.zeros([6, 3], 'float64') }];
      expectSameBits(wasm.denseBackward(x, w, y, dy, activation, got)!.data, js.denseBackward(x, w, y, dy, activation, expected)!.data, 'dx');
      expectSameBits(got.weight.data, expected.weight.data, 'dW');
    }
  });

  it('runs bound calls on resident buffers without growing memory after the first step', () => {
    const rng = createRng(33);
    const resident = (t: Tensor): Tensor => put(wasm, t, 'resident');
    const [x, w, b] = [resident(denseOperand(rng, [64, 30], 1)), resident(denseOperand(rng, [30, 60], 0.2)), resident(denseBias(rng, 60))];
    const dy = resident(denseOperand(rng, [64, 60], 1));
    const activation: DenseActivation = { type: 'relu' };
    const call = wasm.bindDense({ weight: w, bias: b, activation, output: wasm.zeros([64, 60]), inputGrad: wasm.zeros([64, 30]) });
    const grads = { weight: wasm.zeros([30, 60]), bias: wasm.zeros([60]) };
    call.forward(x);
    call.backward(x, dy, grads);
    const bytes = wasm.workspaceBytes;
    const y = call.forward(x);
    const dx = call.backward(x, dy, grads)!;
    expect(wasm.workspaceBytes).toBe(bytes);
    const separate = separateForward(wasm, x, w, b, activation);
    expectSameBits(y.data, separate.y.data, 'y');
    const separateGrads = separateBackward(wasm, x, w, separate.z, separate.y, dy, activation, true, true);
    expectSameBits(dx.data, separateGrads.dx!.data, 'dx');
    expectSameBits(grads.weight.data, separateGrads.dw.data, 'dW');
  });
});

/** |dz| = |dy ⊙ act'(y)|, the magnitudes the backward's products sum. */
function dzMagnitudes(y: Tensor, dy: Tensor, activation: DenseActivation): Float32Array {
  return Float32Array.from(dy.data, (g, i) => {
    const v = y.data[i]!;
    const slope =
      activation.type === 'identity' ? 1
      : activation.type === 'sigmoid' ? v * (1 - v)
      : activation.type === 'tanh' ? 1 - v * v
      : v > 0 ? 1 : activation.slope ?? 0;
    return Math.abs(g * slope);
  });
}

describe('dense ops on the threaded wasm backend', () => {
  const backends: ThreadedWasmBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.dispose()));
  });

  it('split their large products across threads and still equal the separate ops, bit for bit', () => {
    const threaded = createThreadedWasmBackend({ threads: 2, flavour: 'simd' });
    backends.push(threaded);
    const single = createWasmBackend({ flavour: 'simd' });
    // 2·256·520·40 flops per product: above the split threshold (2^23), so every product splits.
    const shape = [256, 520, 40] as const;
    for (const activation of [DENSE_ACTIVATIONS[1]!, DENSE_ACTIVATIONS[3]!]) {
      for (const place of ['plain', 'resident'] as const) {
        expectFusedEqualsSeparate(threaded, `threaded ${place} ${describeActivation(activation)}`, shape, activation, [place, place, place, place], 41);
      }
      expectFusedEqualsSeparate(single, `one thread ${describeActivation(activation)}`, shape, activation, ['plain', 'plain', 'plain', 'plain'], 41);
      const rng = createRng(42);
      const x = denseOperand(rng, [256, 520], 1);
      const w = denseOperand(rng, [520, 40], 0.05);
      expectSameBits(threaded.denseForward(x, w, undefined, activation).data, single.denseForward(x, w, undefined, activation).data, 'threads vs one');
    }
  });
});
