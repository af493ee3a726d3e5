import { madd } from './lanes';

// The finite-weights check rides along with every step, so training need not scan the weights
// again after it: each kernel keeps a running sum of the weights it writes (four lane sums and
// one for the scalar tail). A NaN or ±Infinity makes that sum non-finite for good (∞ + finite = ∞,
// ∞ − ∞ = NaN, NaN stays NaN), so a finite sum proves every written weight finite, for one add
// per four weights and no branch per element. Only a non-finite sum (divergence, or finite
// weights summing past the float32 range) pays for an exact scan. Summing w' · 0 instead would
// need no scan but costs a multiply too: measured on Adam's in-cache step (plain SIMD), about
// +17% over no check, against +8% for the plain sum.

/**
 * 1 when every one of the `n` written weights at `w` is finite, given the lane sums `lanes` and
 * the scalar sum `tail` of them.
 */
function writtenFinite(w: usize, n: i32, lanes: v128, tail: f32): i32 {
  const sum = f32x4.extract_lane(lanes, 0) + f32x4.extract_lane(lanes, 1) + f32x4.extract_lane(lanes, 2) + f32x4.extract_lane(lanes, 3) + tail;
  return isFinite<f32>(sum) ? 1 : allFinite(w, n);
}

/** 1 when every one of the `n` float32 values at `w` is finite (the rare exact scan). */
function allFinite(w: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    if (!isFinite<f32>(load<f32>(w + (<usize>i << 2)))) return 0;
  }
  return 1;
}

/**
 * One SGD step per float32 parameter, in place (PyTorch's torch.optim.SGD, dampening 0):
 *
 *   g = grad + decay · w;   v = momentum · v + g   (only with a velocity);
 *   w = w − lr · (nesterov ? g + momentum · v : v)   (w − lr · g without a velocity)
 *
 * In f32 lanes, four values at a time (fused multiply-adds in the relaxed build): one pass over
 * w, grad and v that stays memory-bound. The JS reference computes in f64 and rounds once, so
 * the two differ by a few float32 ulps (the conformance test states the tolerance).
 * `velocity` 0: no momentum. Returns 1 when every weight it wrote is finite, 0 when one is NaN or
 * ±Infinity (from the gradient, or an overflow).
 */
export function sgdStep(w: usize, grad: usize, velocity: usize, n: i32, lr: f64, momentum: f64, decay: f64, nesterov: i32): i32 {
  const nlr = f32x4.splat(<f32>-lr);
  const mv = f32x4.splat(<f32>momentum);
  const dv = f32x4.splat(<f32>decay);
  let sum = f32x4.splat(0);
  let tail: f32 = 0;
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
    const next = madd(nlr, step, wv);
    v128.store(w + at, next);
    sum = f32x4.add(sum, next);
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
    const next = nlr1 * step + wi;
    store<f32>(w + at, next);
    tail += next;
  }
  return writtenFinite(w, n, sum, tail);
}

/**
 * One Adam / AdamW step per float32 parameter, in place (PyTorch's torch.optim.Adam and AdamW),
 * with the bias corrections of step t precomputed by the caller (stepSize = lr / (1 − β1^t),
 * rootCorrection = sqrt(1 − β2^t)):
 *
 *   w' = w − decoupledDecay · w            (AdamW: decoupledDecay = lr · λ; 0 for Adam)
 *   g  = grad + l2 · w'                     (Adam's L2 decay; 0 for AdamW)
 *   m  = β1 · m + (1 − β1) · g;   v = β2 · v + (1 − β2) · g²
 *   w  = w' − stepSize · m / (sqrt(v) · (1 / rootCorrection) + ε)
 *
 * In f32 lanes, four values at a time (sqrt and division in f32x4, fused multiply-adds in the
 * relaxed build); the reciprocal of rootCorrection is formed once per call, in f64. The JS
 * reference computes in f64 (dividing by rootCorrection) and rounds once, so the two differ by a
 * few float32 ulps (the conformance test states the tolerance). Returns 1 when every weight it
 * wrote is finite, 0 when one is NaN or ±Infinity.
 */
export function adamStep(
  w: usize,
  grad: usize,
  m: usize,
  v: usize,
  n: i32,
  stepSize: f64,
  beta1: f64,
  beta2: f64,
  epsilon: f64,
  rootCorrection: f64,
  l2: f64,
  decoupledDecay: f64,
): i32 {
  const b1 = <f32>beta1;
  const c1 = <f32>(1 - beta1);
  const b2 = <f32>beta2;
  const c2 = <f32>(1 - beta2);
  const eps = <f32>epsilon;
  const inv = <f32>(1 / rootCorrection);
  const nss = <f32>-stepSize;
  const l = <f32>l2;
  const nd = <f32>-decoupledDecay;
  const b1v = f32x4.splat(b1);
  const c1v = f32x4.splat(c1);
  const b2v = f32x4.splat(b2);
  const c2v = f32x4.splat(c2);
  const epsv = f32x4.splat(eps);
  const invv = f32x4.splat(inv);
  const nssv = f32x4.splat(nss);
  const lv = f32x4.splat(l);
  const ndv = f32x4.splat(nd);
  let sum = f32x4.splat(0);
  let tail: f32 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const w0 = v128.load(w + at);
    const wv = madd(ndv, w0, w0);
    const g = madd(lv, wv, v128.load(grad + at));
    const mv = madd(b1v, v128.load(m + at), f32x4.mul(c1v, g));
    const vv = madd(b2v, v128.load(v + at), f32x4.mul(c2v, f32x4.mul(g, g)));
    v128.store(m + at, mv);
    v128.store(v + at, vv);
    const denominator = madd(f32x4.sqrt(vv), invv, epsv);
    const next = madd(nssv, f32x4.div(mv, denominator), wv);
    v128.store(w + at, next);
    sum = f32x4.add(sum, next);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const w0 = load<f32>(w + at);
    const wi = nd * w0 + w0;
    const g = l * wi + load<f32>(grad + at);
    const mi = b1 * load<f32>(m + at) + c1 * g;
    const vi = b2 * load<f32>(v + at) + c2 * (g * g);
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    const next = nss * (mi / (sqrt<f32>(vi) * inv + eps)) + wi;
    store<f32>(w + at, next);
    tail += next;
  }
  return writtenFinite(w, n, sum, tail);
}

/**
 * One RMSprop step per float32 parameter, in place (PyTorch's torch.optim.RMSprop, not centred):
 *
 *   g = grad + decay · w;   s = α · s + (1 − α) · g²;   u = g / (sqrt(s) + ε)
 *   b = momentum · b + u;   w = w − lr · b      (w − lr · u without a velocity)
 *
 * In f32 lanes, four values at a time (sqrt and division in f32x4, fused multiply-adds in the
 * relaxed build). The JS reference computes in f64 and rounds once, so the two differ by a few
 * float32 ulps (the conformance test states the tolerance). `velocity` 0: no momentum. Returns 1
 * when every weight it wrote is finite, 0 when one is NaN or ±Infinity.
 */
export function rmspropStep(
  w: usize,
  grad: usize,
  squareAverage: usize,
  velocity: usize,
  n: i32,
  lr: f64,
  alpha: f64,
  epsilon: f64,
  momentum: f64,
  decay: f64,
): i32 {
  const a1 = <f32>alpha;
  const c1 = <f32>(1 - alpha);
  const eps = <f32>epsilon;
  const m1 = <f32>momentum;
  const d1 = <f32>decay;
  const nlr1 = <f32>-lr;
  const av = f32x4.splat(a1);
  const cv = f32x4.splat(c1);
  const epsv = f32x4.splat(eps);
  const mv = f32x4.splat(m1);
  const dv = f32x4.splat(d1);
  const nlr = f32x4.splat(nlr1);
  let sum = f32x4.splat(0);
  let tail: f32 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const wv = v128.load(w + at);
    const g = madd(dv, wv, v128.load(grad + at));
    const s = madd(av, v128.load(squareAverage + at), f32x4.mul(cv, f32x4.mul(g, g)));
    v128.store(squareAverage + at, s);
    let u = f32x4.div(g, f32x4.add(f32x4.sqrt(s), epsv));
    if (velocity != 0) {
      u = madd(mv, v128.load(velocity + at), u);
      v128.store(velocity + at, u);
    }
    const next = madd(nlr, u, wv);
    v128.store(w + at, next);
    sum = f32x4.add(sum, next);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const wi = load<f32>(w + at);
    const g = d1 * wi + load<f32>(grad + at);
    const s = a1 * load<f32>(squareAverage + at) + c1 * (g * g);
    store<f32>(squareAverage + at, s);
    let u = g / (sqrt<f32>(s) + eps);
    if (velocity != 0) {
      u = m1 * load<f32>(velocity + at) + u;
      store<f32>(velocity + at, u);
    }
    const next = nlr1 * u + wi;
    store<f32>(w + at, next);
    tail += next;
  }
  return writtenFinite(w, n, sum, tail);
}
