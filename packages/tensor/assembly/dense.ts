/**
 * The fused dense kernels: a layer's forward or backward in one call from JS, on float32 x [rows,
 * inputs], W [inputs, units], b [units], y and dy [rows, units]. They are the separate kernels
 * composed (the `gemm` matmul runs, `addRowVector`, `sumRows`, `leakyRelu` and its backward), so
 * every value is bit for bit what the separate calls give; only the JS round trips between them
 * are gone. A product whose `...Product` flag is 0 is left out: the caller runs it with gemm split
 * across threads (before forward's bias, after backward's dz).
 *
 * Activation codes (src/ops/dense.ts): 0 identity, 1 leaky ReLU (ReLU: slope 0), 2 sigmoid,
 * 3 tanh. Forward applies only the leaky one: sigmoid and tanh stay on the JS engine's
 * Math.exp and Math.tanh (the elementwise family's), which this module's Math would not match.
 */

import { leakyRelu, leakyReluBackward } from './elementwise';
import { gemm } from './gemm';
import { addRowVector, sumRows } from './rows';

const LEAKY: i32 = 1;
const SIGMOID: i32 = 2;
const TANH: i32 = 3;

/** y = act(x·W + b); `scratch` holds gemmScratchFloats(rows, units, inputs) floats. */
export function denseForward(
  x: usize, w: usize, b: usize, y: usize, rows: i32, inputs: i32, units: i32,
  activation: i32, slope: f64, product: bool, hasBias: bool, scratch: usize,
): void {
  if (product) gemm(x, inputs, w, units, y, units, rows, units, inputs, false, false, false, scratch);
  if (hasBias) addRowVector(y, b, y, rows, units);
  if (activation == LEAKY) leakyRelu(y, slope, y, rows * units);
}

/**
 * dz = dy ⊙ act'(y) (the caller passes dz = dy for identity), then dW = xᵀ·dz, db = Σ_rows dz
 * and dx = dz·Wᵀ. The leaky backward tests y > 0 where the layer's tests x > 0: the same for a
 * slope >= 0 (the caller checks it). `scratch` holds the larger product's gemmScratchFloats.
 */
export function denseBackward(
  x: usize, w: usize, y: usize, dy: usize, dz: usize, dw: usize, db: usize, dx: usize,
  rows: i32, inputs: i32, units: i32, activation: i32, slope: f64,
  weightProduct: bool, hasBias: bool, inputProduct: bool, scratch: usize,
): void {
  const n = rows * units;
  if (activation == LEAKY) leakyReluBackward(y, slope, dy, dz, n);
  else if (activation == SIGMOID) sigmoidBackward(y, dy, dz, n);
  else if (activation == TANH) tanhBackward(y, dy, dz, n);
  if (weightProduct) gemm(x, inputs, dz, units, dw, units, inputs, units, rows, true, false, false, scratch);
  if (hasBias) sumRows(dz, db, rows, units);
  if (inputProduct) gemm(dz, units, w, units, dx, inputs, rows, inputs, units, false, true, false, scratch);
}

// The reference computes these in JS doubles and rounds once when storing: the same f64
// operations in the same order, two lanes at a time, give the same f32 values.

/** The low two f32 lanes of v as f64x2, and the high two. */
function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
}

/** Four f32 lanes from two f64x2 halves, each rounded once. */
function join(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** dy·y·(1 − y), as (dy·y)·(1 − y). */
function sigmoidGrad(y: v128, dy: v128): v128 {
  return f64x2.mul(f64x2.mul(dy, y), f64x2.sub(f64x2.splat(1), y));
}

/** dy·(1 − y·y). */
function tanhGrad(y: v128, dy: v128): v128 {
  return f64x2.mul(dy, f64x2.sub(f64x2.splat(1), f64x2.mul(y, y)));
}

function sigmoidBackward(y: usize, dy: usize, dz: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(y + at);
    const g = v128.load(dy + at);
    v128.store(dz + at, join(sigmoidGrad(low(v), low(g)), sigmoidGrad(high(v), high(g))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const v = <f64>load<f32>(y + at);
    store<f32>(dz + at, <f32>(<f64>load<f32>(dy + at) * v * (1 - v)));
  }
}

function tanhBackward(y: usize, dy: usize, dz: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(y + at);
    const g = v128.load(dy + at);
    v128.store(dz + at, join(tanhGrad(low(v), low(g)), tanhGrad(high(v), high(g))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const v = <f64>load<f32>(y + at);
    store<f32>(dz + at, <f32>(<f64>load<f32>(dy + at) * (1 - v * v)));
  }
}
