import { madd } from './lanes';

/**
 * One SGD step per float32 parameter, in place (PyTorch's torch.optim.SGD, dampening 0):
 *
 *   g = grad + decay · w;   v = momentum · v + g   (only with a velocity);
 *   w = w − lr · (nesterov ? g + momentum · v : v)   (w − lr · g without a velocity)
 *
 * In f32 lanes, four values at a time (fused multiply-adds in the relaxed build): one pass over
 * w, grad and v that stays memory-bound. The JS reference computes in f64 and rounds once, so
 * the two differ by a few float32 ulps (the conformance test states the tolerance).
 * `velocity` 0: no momentum.
 */
export function sgdStep(w: usize, grad: usize, velocity: usize, n: i32, lr: f64, momentum: f64, decay: f64, nesterov: i32): void {
  const nlr = f32x4.splat(<f32>-lr);
  const mv = f32x4.splat(<f32>momentum);
  const dv = f32x4.splat(<f32>decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const wv = v128.load(w + at);
    const g = madd(dv, wv, v128.load(grad + at));
    let step = g;
    if (velocity != 0) {
      const v = madd(mv, v128.load(velocity + at), g);
      v128.store(velocity + at, v);
      step = nesterov ? madd(mv, v, g) : v;
    }
    v128.store(w + at, madd(nlr, step, wv));
  }
  const nlr1 = <f32>-lr;
  const m1 = <f32>momentum;
  const d1 = <f32>decay;
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const wi = load<f32>(w + at);
    const g = d1 * wi + load<f32>(grad + at);
    let step = g;
    if (velocity != 0) {
      const v = m1 * load<f32>(velocity + at) + g;
      store<f32>(velocity + at, v);
      step = nesterov ? m1 * v + g : v;
    }
    store<f32>(w + at, nlr1 * step + wi);
  }
}
