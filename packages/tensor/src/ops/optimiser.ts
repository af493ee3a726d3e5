import type { FloatArray, Tensor } from '../tensor.js';
import { checkAlias, sameDtype, sameSize } from './checks.js';
import { defineFamily, flag, is64 } from './family.js';

// Every step kernel reports whether the weights it wrote are all finite, so training need not
// scan them again after the step. It sums w' · 0 over the stored values (0 for finite ones, NaN
// for NaN and ±Infinity): no branch per element, and read back from w, so a float32 overflow of a
// finite float64 result counts too.

/**
 * One SGD step per element, in place (PyTorch's torch.optim.SGD, dampening 0):
 *   g = grad + decay·w;  v = momentum·v + g (with a velocity);  w -= lr·(nesterov ? g + momentum·v : v)
 * without a velocity w -= lr·g. Computed in float64, each stored value rounded once. Returns
 * whether every stored w is finite.
 */
export function sgdStepKernel(
  w: FloatArray,
  grad: FloatArray,
  velocity: FloatArray | undefined,
  n: number,
  learningRate: number,
  momentum: number,
  decay: number,
  nesterov: boolean,
): boolean {
  let check = 0;
  if (velocity === undefined) {
    for (let i = 0; i < n; i++) {
      w[i] = w[i]! - learningRate * (grad[i]! + decay * w[i]!);
      check += w[i]! * 0;
    }
    return check === 0;
  }
  for (let i = 0; i < n; i++) {
    const g = grad[i]! + decay * w[i]!;
    const v = momentum * velocity[i]! + g;
    velocity[i] = v;
    w[i] = w[i]! - learningRate * (nesterov ? g + momentum * v : v);
    check += w[i]! * 0;
  }
  return check === 0;
}

/**
 * One Adam / AdamW step per element, in place (PyTorch's torch.optim.Adam and AdamW), with the
 * bias corrections precomputed for step t (`stepSize` = lr/(1 − β1^t), `rootCorrection` =
 * sqrt(1 − β2^t)):
 *   w' = w·(1 − decoupledDecay);  g = grad + l2·w'
 *   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  w = w' − stepSize·m / (sqrt(v)/rootCorrection + ε)
 * Computed in float64, each stored value rounded once (the update of w uses the unrounded m, v).
 * Returns whether every stored w is finite.
 */
export function adamStepKernel(
  w: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  n: number,
  stepSize: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  rootCorrection: number,
  l2: number,
  decoupledDecay: number,
): boolean {
  const shrink = 1 - decoupledDecay;
  let check = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]! * shrink;
    const g = grad[i]! + l2 * wi;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / rootCorrection + epsilon);
    check += w[i]! * 0;
  }
  return check === 0;
}

/**
 * One RMSprop step per element, in place (PyTorch's torch.optim.RMSprop, not centred):
 *   g = grad + decay·w;  s = α·s + (1 − α)·g²;  u = g / (sqrt(s) + ε)
 *   b = momentum·b + u;  w -= lr·b   (with a velocity b)
 * without a velocity w -= lr·u. Computed in float64, each stored value rounded once. Returns
 * whether every stored w is finite.
 */
export function rmspropStepKernel(
  w: FloatArray,
  grad: FloatArray,
  squareAverage: FloatArray,
  velocity: FloatArray | undefined,
  n: number,
  learningRate: number,
  alpha: number,
  epsilon: number,
  momentum: number,
  decay: number,
): boolean {
  let check = 0;
  for (let i = 0; i < n; i++) {
    const g = grad[i]! + decay * w[i]!;
    const s = alpha * squareAverage[i]! + (1 - alpha) * g * g;
    squareAverage[i] = s;
    let u = g / (Math.sqrt(s) + epsilon);
    if (velocity !== undefined) {
      u += momentum * velocity[i]!;
      velocity[i] = u;
    }
    w[i] = w[i]! - learningRate * u;
    check += w[i]! * 0;
  }
  return check === 0;
}

/** Hyper-parameters of one SGD step (see Backend.sgdStep). */
export interface SgdStepOptions {
  readonly learningRate: number;
  /** Ignored without a velocity tensor. */
  readonly momentum: number;
  readonly weightDecay: number;
  /** Nesterov momentum: the step is g + momentum·v instead of v. */
  readonly nesterov: boolean;
}

/**
 * Hyper-parameters of one Adam or AdamW step (see Backend.adamStep). The optimiser computes the
 * bias corrections of its step t, so the kernel is one pass with no notion of t.
 */
export interface AdamStepOptions {
  /** lr / (1 − beta1^t): the learning rate with the first moment's bias correction. */
  readonly stepSize: number;
  /** sqrt(1 − beta2^t): the second moment's bias correction, under the root. */
  readonly rootCorrection: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** L2 penalty added to the gradient (Adam's weight decay): g = grad + weightDecay·w; 0 for none. */
  readonly weightDecay: number;
  /** Decoupled decay lr·λ (AdamW's weight decay): w is first scaled by 1 − decoupledDecay; 0 for none. */
  readonly decoupledDecay: number;
}

/** Hyper-parameters of one RMSprop step (see Backend.rmspropStep). */
export interface RmspropStepOptions {
  readonly learningRate: number;
  /** Decay rate of the squared-gradient average. */
  readonly alpha: number;
  readonly epsilon: number;
  /** Ignored without a velocity tensor. */
  readonly momentum: number;
  readonly weightDecay: number;
}

export interface OptimiserKernels {
  /** See OptimiserOps.sgdStep; `velocity` undefined for plain SGD. */
  sgdStep: typeof sgdStepKernel;
  /** See OptimiserOps.adamStep; `l2` and `decoupledDecay` 0 for no decay. */
  adamStep: typeof adamStepKernel;
  /** See OptimiserOps.rmspropStep; `velocity` undefined without momentum. */
  rmspropStep: typeof rmspropStepKernel;
}

export interface OptimiserOps {
  /**
   * One SGD step in place, per element (PyTorch's torch.optim.SGD, dampening 0):
   *   g = grad + weightDecay·w;  v = momentum·v + g;  w -= learningRate·(nesterov ? g + momentum·v : v)
   * and w -= learningRate·g when `velocity` is undefined (plain SGD), in one pass over the
   * tensors. The JS kernels compute in float64 and round once per stored value; the wasm backend
   * works in float32 lanes (a few ulps apart). w, grad and velocity must not share memory.
   * Returns true when every weight it wrote is finite, false when one is NaN or ±Infinity (from
   * the gradient or an overflow): the divergence check, done in the same pass.
   */
  sgdStep(w: Tensor, grad: Tensor, velocity: Tensor | undefined, options: SgdStepOptions): boolean;

  /**
   * One Adam / AdamW step in place, per element (PyTorch's torch.optim.Adam and AdamW), at
   * step t with stepSize = lr/(1 − β1^t) and rootCorrection = sqrt(1 − β2^t) given:
   *   w' = w·(1 − decoupledDecay)                      (AdamW: decoupledDecay = lr·λ)
   *   g  = grad + weightDecay·w'                       (Adam: L2 added to the gradient)
   *   m  = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
   *   w  = w' − stepSize·m / (sqrt(v)/rootCorrection + ε)
   * i.e. w −= lr·mHat/(sqrt(vHat) + ε) with the bias-corrected moments, in one pass over the
   * tensors. The JS kernels compute in float64 and round once per stored value; the wasm backend
   * works in float32 lanes (a few ulps apart). w, grad, m and v must not share memory. Returns
   * true when every weight it wrote is finite, false when one is NaN or ±Infinity (as sgdStep).
   */
  adamStep(w: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamStepOptions): boolean;

  /**
   * One RMSprop step in place, per element (PyTorch's torch.optim.RMSprop, not centred):
   *   g = grad + weightDecay·w;  s = α·s + (1 − α)·g²;  u = g / (sqrt(s) + ε)
   *   b = momentum·b + u;  w −= learningRate·b
   * and w −= learningRate·u when `velocity` (b) is undefined, in one pass over the tensors. The
   * JS kernels compute in float64 and round once per stored value; the wasm backend works in
   * float32 lanes (a few ulps apart). w, grad, squareAverage and velocity must not share memory.
   * Returns true when every weight it wrote is finite, false when one is NaN or ±Infinity (as
   * sgdStep).
   */
  rmspropStep(w: Tensor, grad: Tensor, squareAverage: Tensor, velocity: Tensor | undefined, options: RmspropStepOptions): boolean;
}

/** The module's exports this family binds (assembly/optimiser.ts); each returns 1 when every written weight is finite, else 0. */
interface OptimiserExports {
  /** velocity 0: plain SGD; nesterov 0 or 1. */
  sgdStep(w: number, grad: number, velocity: number, n: number, lr: number, momentum: number, decay: number, nesterov: number): number;
  adamStep(
    w: number,
    grad: number,
    m: number,
    v: number,
    n: number,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    rootCorrection: number,
    l2: number,
    decoupledDecay: number,
  ): number;
  /** velocity 0: no momentum. */
  rmspropStep(w: number, grad: number, squareAverage: number, velocity: number, n: number, lr: number, alpha: number, epsilon: number, momentum: number, decay: number): number;
}

/** Checks that `slot` matches w in size and dtype and shares memory with neither w nor grad. */
export function checkSlot(kernel: string, w: Tensor, grad: Tensor, name: string, slot: Tensor): void {
  sameSize(kernel, 'w', w, name, slot);
  sameDtype(kernel, ['w', w], [name, slot]);
  checkAlias(kernel, w, name, slot, false, 'w');
  checkAlias(kernel, slot, 'grad', grad, false, name);
}

/** Checks that w and grad match in size and dtype and do not share memory. */
function checkParameter(kernel: string, w: Tensor, grad: Tensor): void {
  sameSize(kernel, 'w', w, 'grad', grad);
  sameDtype(kernel, ['w', w], ['grad', grad]);
  checkAlias(kernel, w, 'grad', grad, false, 'w');
}

export const optimiserFamily = defineFamily<OptimiserKernels, OptimiserOps>({
  name: 'optimiser',
  reference: { sgdStep: sgdStepKernel, adamStep: adamStepKernel, rmspropStep: rmspropStepKernel },
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as OptimiserExports;
    return {
      sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov) {
        if (is64(w)) return reference.sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov);
        const s = staging.begin();
        const v = velocity === undefined ? 0 : s.update(velocity, n);
        const finite = wasm.sgdStep(s.update(w, n), s.read(grad, n), v, n, learningRate, momentum, decay, flag(nesterov));
        s.finish();
        return finite === 1;
      },
      adamStep(w, grad, m, v, n, stepSize, beta1, beta2, epsilon, rootCorrection, l2, decoupledDecay) {
        if (is64(w)) return reference.adamStep(w, grad, m, v, n, stepSize, beta1, beta2, epsilon, rootCorrection, l2, decoupledDecay);
        const s = staging.begin();
        const wAt = s.update(w, n);
        const gradAt = s.read(grad, n);
        const mAt = s.update(m, n);
        const finite = wasm.adamStep(wAt, gradAt, mAt, s.update(v, n), n, stepSize, beta1, beta2, epsilon, rootCorrection, l2, decoupledDecay);
        s.finish();
        return finite === 1;
      },
      rmspropStep(w, grad, squareAverage, velocity, n, learningRate, alpha, epsilon, momentum, decay) {
        if (is64(w)) return reference.rmspropStep(w, grad, squareAverage, velocity, n, learningRate, alpha, epsilon, momentum, decay);
        const s = staging.begin();
        const wAt = s.update(w, n);
        const gradAt = s.read(grad, n);
        const sAt = s.update(squareAverage, n);
        const b = velocity === undefined ? 0 : s.update(velocity, n);
        const finite = wasm.rmspropStep(wAt, gradAt, sAt, b, n, learningRate, alpha, epsilon, momentum, decay);
        s.finish();
        return finite === 1;
      },
    };
  },
  methods: (kernels) => ({
    sgdStep(w, grad, velocity, options) {
      checkParameter('sgdStep', w, grad);
      if (velocity !== undefined) checkSlot('sgdStep', w, grad, 'velocity', velocity);
      const { learningRate, momentum, weightDecay, nesterov } = options;
      return kernels.sgdStep(w.data, grad.data, velocity?.data, w.size, learningRate, momentum, weightDecay, nesterov);
    },
    adamStep(w, grad, m, v, options) {
      checkParameter('adamStep', w, grad);
      checkSlot('adamStep', w, grad, 'm', m);
      checkSlot('adamStep', w, grad, 'v', v);
      checkAlias('adamStep', m, 'v', v, false, 'm');
      const { stepSize, beta1, beta2, epsilon, rootCorrection, weightDecay, decoupledDecay } = options;
      return kernels.adamStep(w.data, grad.data, m.data, v.data, w.size, stepSize, beta1, beta2, epsilon, rootCorrection, weightDecay, decoupledDecay);
    },
    rmspropStep(w, grad, squareAverage, velocity, options) {
      checkParameter('rmspropStep', w, grad);
      checkSlot('rmspropStep', w, grad, 'squareAverage', squareAverage);
      if (velocity !== undefined) {
        checkSlot('rmspropStep', w, grad, 'velocity', velocity);
        checkAlias('rmspropStep', squareAverage, 'velocity', velocity, false, 'squareAverage');
      }
      const { learningRate, alpha, epsilon, momentum, weightDecay } = options;
      return kernels.rmspropStep(w.data, grad.data, squareAverage.data, velocity?.data, w.size, learningRate, alpha, epsilon, momentum, weightDecay);
    },
  }),
});
