import type { FloatArray, Tensor } from '../tensor.js';
import { checkAlias, sameDtype, sameSize } from './checks.js';
import { defineFamily, flag, is64 } from './family.js';

/**
 * One SGD step per element, in place (PyTorch's torch.optim.SGD, dampening 0):
 *   g = grad + decay·w;  v = momentum·v + g (with a velocity);  w -= lr·(nesterov ? g + momentum·v : v)
 * without a velocity w -= lr·g. Computed in float64, each stored value rounded once.
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
): void {
  if (velocity === undefined) {
    for (let i = 0; i < n; i++) w[i] = w[i]! - learningRate * (grad[i]! + decay * w[i]!);
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = grad[i]! + decay * w[i]!;
    const v = momentum * velocity[i]! + g;
    velocity[i] = v;
    w[i] = w[i]! - learningRate * (nesterov ? g + momentum * v : v);
  }
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

export interface OptimiserKernels {
  /** See OptimiserOps.sgdStep; `velocity` undefined for plain SGD. */
  sgdStep: typeof sgdStepKernel;
}

export interface OptimiserOps {
  /**
   * One SGD step in place, per element (PyTorch's torch.optim.SGD, dampening 0):
   *   g = grad + weightDecay·w;  v = momentum·v + g;  w -= learningRate·(nesterov ? g + momentum·v : v)
   * and w -= learningRate·g when `velocity` is undefined (plain SGD), in one pass over the
   * tensors. The JS kernels compute in float64 and round once per stored value; the wasm backend
   * works in float32 lanes (a few ulps apart). w, grad and velocity must not share memory.
   * Returns w.
   */
  sgdStep(w: Tensor, grad: Tensor, velocity: Tensor | undefined, options: SgdStepOptions): Tensor;
}

/** The module's exports this family binds (assembly/optimiser.ts). */
interface OptimiserExports {
  /** velocity 0: plain SGD; nesterov 0 or 1. */
  sgdStep(w: number, grad: number, velocity: number, n: number, lr: number, momentum: number, decay: number, nesterov: number): void;
}

/** Checks that `slot` matches w in size and dtype and shares memory with neither w nor grad. */
export function checkSlot(kernel: string, w: Tensor, grad: Tensor, name: string, slot: Tensor): void {
  sameSize(kernel, 'w', w, name, slot);
  sameDtype(kernel, ['w', w], [name, slot]);
  checkAlias(kernel, w, name, slot, false, 'w');
  checkAlias(kernel, slot, 'grad', grad, false, name);
}

export const optimiserFamily = defineFamily<OptimiserKernels, OptimiserOps>({
  name: 'optimiser',
  reference: { sgdStep: sgdStepKernel },
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as OptimiserExports;
    return {
      sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov) {
        if (is64(w)) return reference.sgdStep(w, grad, velocity, n, learningRate, momentum, decay, nesterov);
        const s = staging.begin();
        const v = velocity === undefined ? 0 : s.update(velocity, n);
        wasm.sgdStep(s.update(w, n), s.read(grad, n), v, n, learningRate, momentum, decay, flag(nesterov));
        s.finish();
      },
    };
  },
  methods: (kernels) => ({
    sgdStep(w, grad, velocity, options) {
      sameSize('sgdStep', 'w', w, 'grad', grad);
      sameDtype('sgdStep', ['w', w], ['grad', grad]);
      checkAlias('sgdStep', w, 'grad', grad, false, 'w');
      if (velocity !== undefined) checkSlot('sgdStep', w, grad, 'velocity', velocity);
      const { learningRate, momentum, weightDecay, nesterov } = options;
      kernels.sgdStep(w.data, grad.data, velocity?.data, w.size, learningRate, momentum, weightDecay, nesterov);
      return w;
    },
  }),
});
