/**
 * Elementwise float32 kernels over n values. Each lane computes exactly what the JS reference
 * (src/js/elementwise.ts) computes: products with a JS number (scale, axpy, a leaky slope) are
 * formed in f64 and rounded once to f32, like the reference's double arithmetic, so results are
 * bit-identical. `out` may equal an input (every lane is read before it is written).
 */

/** f32(f64(v) · s) per lane, s an f64x2 splat. */
function scaleInF64(v: v128, s: v128): v128 {
  const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), s));
  const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), s));
  return i64x2.shuffle(lo, hi, 0, 2);
}

/** f32(f64(y) + s · f64(x)) per lane, s an f64x2 splat. */
function axpyInF64(x: v128, y: v128, s: v128): v128 {
  const ySwap = i64x2.shuffle(y, y, 1, 0);
  const xSwap = i64x2.shuffle(x, x, 1, 0);
  const lo = f64x2.add(f64x2.promote_low_f32x4(y), f64x2.mul(s, f64x2.promote_low_f32x4(x)));
  const hi = f64x2.add(f64x2.promote_low_f32x4(ySwap), f64x2.mul(s, f64x2.promote_low_f32x4(xSwap)));
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** True when s survives a round trip through f32, so an f32 product equals the reference's. */
function exactInF32(s: f64): bool {
  return <f64>(<f32>s) == s;
}

/** op 0: a + b, 1: a − b, 2: a · b. */
export function binary(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const x = v128.load(a + at);
    const y = v128.load(b + at);
    v128.store(out + at, op == 0 ? f32x4.add(x, y) : op == 1 ? f32x4.sub(x, y) : f32x4.mul(x, y));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const x = load<f32>(a + at);
    const y = load<f32>(b + at);
    store<f32>(out + at, op == 0 ? x + y : op == 1 ? x - y : x * y);
  }
}

/** out = a · s. */
export function scale(a: usize, s: f64, out: usize, n: i32): void {
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, scaleInF64(v128.load(a + at), sv));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, <f32>(<f64>load<f32>(a + at) * s));
  }
}

/** y += alpha · x. */
export function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  const sv = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, axpyInF64(v128.load(x + at), v128.load(y + at), sv));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, <f32>(<f64>load<f32>(y + at) + alpha * <f64>load<f32>(x + at)));
  }
}

/** out = x > 0 ? x : slope · x (slope · x is −0 for negative x when slope is 0, NaN for NaN). */
export function leakyRelu(x: usize, slope: f64, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const s32 = f32x4.splat(<f32>slope);
  const s64 = f64x2.splat(slope);
  const exact = exactInF32(slope);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(x + at);
    const scaled = exact ? f32x4.mul(v, s32) : scaleInF64(v, s64);
    v128.store(out + at, v128.bitselect(v, scaled, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, v > 0 ? v : <f32>(slope * <f64>v));
  }
}

/** out = x > 0 ? dy : slope · dy. */
export function leakyReluBackward(x: usize, slope: f64, dy: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const s32 = f32x4.splat(<f32>slope);
  const s64 = f64x2.splat(slope);
  const exact = exactInF32(slope);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(dy + at);
    const scaled = exact ? f32x4.mul(g, s32) : scaleInF64(g, s64);
    v128.store(out + at, v128.bitselect(g, scaled, f32x4.gt(v128.load(x + at), zero)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(dy + at);
    store<f32>(out + at, load<f32>(x + at) > 0 ? g : <f32>(slope * <f64>g));
  }
}
