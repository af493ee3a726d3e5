import { expect } from 'vitest';
import type { Backend } from '../backend.js';
import type { Rng } from '../rng.js';
import { type DType, type FloatArray, Tensor } from '../tensor.js';
import type { DenseActivation } from './dense.js';

/**
 * Test-only (excluded from the build): the separate ops a dense layer and its activation layer
 * ran before the fused dense ops existed, operands that reach the activations' edges, and a
 * bit-for-bit comparison.
 */

/** Every activation the fused ops take, leaky ReLU with a slope that is not exact in float32. */
export const DENSE_ACTIVATIONS: readonly DenseActivation[] = [
  { type: 'identity' },
  { type: 'relu' },
  { type: 'leaky-relu', slope: 0.1 },
  { type: 'sigmoid' },
  { type: 'tanh' },
];

export const describeActivation = (a: DenseActivation): string => (a.type === 'leaky-relu' ? `leaky-relu ${a.slope}` : a.type);

/** The dense layer's matmul and addRowVector, then the activation layer's op: pre-activation z and output y. */
export function separateForward(backend: Backend, x: Tensor, w: Tensor, b: Tensor | undefined, activation: DenseActivation) {
  const z = backend.matmul(x, w);
  if (b !== undefined) backend.addRowVector(z, b, z);
  const slope = activation.slope ?? 0;
  const y =
    activation.type === 'identity' ? z
    : activation.type === 'sigmoid' ? backend.sigmoid(z)
    : activation.type === 'tanh' ? backend.tanh(z)
    : backend.leakyRelu(z, slope);
  return { z, y };
}

/** The activation layer's backward (from z or y, as each reads), then the dense layer's three ops. */
export function separateBackward(
  backend: Backend, x: Tensor, w: Tensor, z: Tensor, y: Tensor, dy: Tensor, activation: DenseActivation, bias: boolean, inputGrad: boolean,
) {
  const slope = activation.slope ?? 0;
  const dz =
    activation.type === 'identity' ? dy
    : activation.type === 'sigmoid' ? backend.sigmoidBackward(y, dy)
    : activation.type === 'tanh' ? backend.tanhBackward(y, dy)
    : backend.leakyReluBackward(z, slope, dy);
  return {
    dw: backend.matmul(x, dz, { transposeA: true }),
    db: bias ? backend.sumRows(dz) : undefined,
    dx: inputGrad ? backend.matmul(dz, w, { transposeB: true }) : undefined,
  };
}

/**
 * Uniform values in ±scale, with exact zeros, a few ±scale·8 (saturating sigmoid and tanh) and,
 * every `zeroRow` rows, a row of zeros (so a zero bias gives z = 0 there: the ReLU kink).
 */
export function denseOperand(rng: Rng, shape: readonly [number, number], scale: number, dtype: DType = 'float32', zeroRow = 0): Tensor {
  const t = Tensor.zeros(shape, dtype);
  const [rows, columns] = shape;
  for (let r = 0; r < rows; r++) {
    if (zeroRow > 0 && r % zeroRow === zeroRow - 1) continue;
    for (let c = 0; c < columns; c++) {
      const pick = rng.next();
      t.data[r * columns + c] = pick < 0.05 ? 0 : pick < 0.1 ? (rng.next() < 0.5 ? -8 : 8) * scale : rng.uniform(-scale, scale);
    }
  }
  return t;
}

/** A bias with some exact zeros. */
export function denseBias(rng: Rng, units: number, dtype: DType = 'float32'): Tensor {
  return Tensor.from([units], Array.from({ length: units }, (_, i) => (i % 3 === 0 ? 0 : rng.uniform(-1, 1))), dtype);
}

/** Fails on the first value whose bits differ (Object.is: -0 and NaN count). */
export function expectSameBits(got: FloatArray, expected: FloatArray, label: string): void {
  expect(got.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(got[i], expected[i])) expect.fail(`${label} index ${i}: got ${got[i]}, separate ops ${expected[i]}`);
  }
}
