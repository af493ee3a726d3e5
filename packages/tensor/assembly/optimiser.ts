/**
 * One SGD step per float32 parameter, in place (PyTorch's torch.optim.SGD, dampening 0):
 *
 *   g = grad + decay · w;   v = momentum · v + g   (only with a velocity);
 *   w = w − lr · (nesterov ? g + momentum · v : v)   (w − lr · g without a velocity)
 *
 * Computed in f64 two lanes at a time and rounded once per stored value, exactly like the JS
 * reference (src/js/optimiser.ts), so both backends train bit-identically. One pass over w,
 * grad and v instead of the four whole-tensor kernels it replaces. `velocity` 0: no momentum.
 */
export function sgdStep(w: usize, grad: usize, velocity: usize, n: i32, lr: f64, momentum: f64, decay: f64, nesterov: i32): void {
  const lrv = f64x2.splat(lr);
  const mv = f64x2.splat(momentum);
  const dv = f64x2.splat(decay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 2;
    const wv = f64x2.promote_low_f32x4(v128.load64_zero(w + at));
    const g = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(grad + at)), f64x2.mul(dv, wv));
    let step = g;
    if (velocity != 0) {
      const v = f64x2.add(f64x2.mul(mv, f64x2.promote_low_f32x4(v128.load64_zero(velocity + at))), g);
      v128.store64_lane(velocity + at, f32x4.demote_f64x2_zero(v), 0);
      step = nesterov ? f64x2.add(g, f64x2.mul(mv, v)) : v;
    }
    v128.store64_lane(w + at, f32x4.demote_f64x2_zero(f64x2.sub(wv, f64x2.mul(lrv, step))), 0);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const wi = <f64>load<f32>(w + at);
    const g = <f64>load<f32>(grad + at) + decay * wi;
    let step = g;
    if (velocity != 0) {
      const v = momentum * <f64>load<f32>(velocity + at) + g;
      store<f32>(velocity + at, <f32>v);
      step = nesterov ? g + momentum * v : v;
    }
    store<f32>(w + at, <f32>(wi - lr * step));
  }
}
