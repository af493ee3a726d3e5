import type { Backend } from '../backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';

/**
 * Cases for the finite-weights flag of the optimiser step kernels (sgdStep, adamStep,
 * rmspropStep return whether every weight they wrote is finite): one weight at a time made NaN
 * or ±Infinity, through the gradient or by overflowing the step, at every index of sizes that
 * put it in the 4-lane SIMD body (n = 4, the first 8 of n = 11) and in the scalar tail (n = 3,
 * the last 3 of n = 11) of the wasm kernels. The wasm kernels sum the weights they write and scan
 * them only when that sum is not finite, so finite weights whose sum overflows are a case too.
 */

/** How a case breaks the weight at `at`; 'finite' breaks none. */
export type Breakage = 'finite' | 'NaN gradient' | '+Infinity gradient' | '-Infinity gradient' | 'overflow to +Infinity' | 'overflow to -Infinity';

export interface FlagCase {
  readonly label: string;
  readonly breakage: Breakage;
  /** The weight made non-finite (-1 for 'finite'). */
  readonly at: number;
  readonly w: Tensor;
  readonly grad: Tensor;
  /** The learning rate (Adam's stepSize): large enough to overflow in the overflow cases. */
  readonly rate: number;
}

/** One step kernel with fixed hyper-parameters; `slots` zero tensors follow w and grad. */
export interface FlaggedKernel {
  readonly name: string;
  readonly slots: number;
  step(backend: Backend, w: Tensor, grad: Tensor, slots: readonly Tensor[], rate: number): boolean;
}

// No weight decay: with it, the overflow cases' huge rate would overflow every weight, not one.
export const FLAGGED_KERNELS: readonly FlaggedKernel[] = [
  {
    name: 'sgdStep (plain)',
    slots: 0,
    step: (b, w, grad, _slots, rate) => b.sgdStep(w, grad, undefined, { learningRate: rate, momentum: 0, weightDecay: 0, nesterov: false }),
  },
  {
    name: 'sgdStep (momentum)',
    slots: 1,
    step: (b, w, grad, [v], rate) => b.sgdStep(w, grad, v, { learningRate: rate, momentum: 0.9, weightDecay: 0, nesterov: false }),
  },
  {
    name: 'sgdStep (Nesterov)',
    slots: 1,
    step: (b, w, grad, [v], rate) => b.sgdStep(w, grad, v, { learningRate: rate, momentum: 0.9, weightDecay: 0, nesterov: true }),
  },
  {
    name: 'adamStep',
    slots: 2,
    step: (b, w, grad, [m, v], rate) =>
      b.adamStep(w, grad, m!, v!, { stepSize: rate, rootCorrection: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupledDecay: 0 }),
  },
  {
    name: 'rmspropStep (plain)',
    slots: 1,
    step: (b, w, grad, [s], rate) => b.rmspropStep(w, grad, s!, undefined, { learningRate: rate, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0 }),
  },
  {
    name: 'rmspropStep (momentum)',
    slots: 2,
    step: (b, w, grad, [s, v], rate) => b.rmspropStep(w, grad, s!, v, { learningRate: rate, alpha: 0.99, epsilon: 1e-8, momentum: 0.9, weightDecay: 0 }),
  },
];

const BAD_GRADIENTS = [
  ['NaN gradient', Number.NaN],
  ['+Infinity gradient', Number.POSITIVE_INFINITY],
  ['-Infinity gradient', Number.NEGATIVE_INFINITY],
] as const;

/** Every case for sizes 3, 4 and 11 in `dtype`. */
export function flagCases(dtype: DType): FlagCase[] {
  // The step pushes a weight of ±big by about big or more: past the largest finite value.
  const big = dtype === 'float32' ? 3e38 : 1e308;
  const rng = createRng(41);
  const uniform = (n: number): number[] => Array.from({ length: n }, () => rng.uniform(-1, 1));
  const cases: FlagCase[] = [];
  for (const n of [3, 4, 11]) {
    const make = (breakage: Breakage, at: number, w: number[], grad: number[], rate: number, note = ''): FlagCase => ({
      label: `[${n}] ${breakage}${at < 0 ? '' : ` at ${at}`}${note}`,
      breakage,
      at,
      w: Tensor.from([n], w, dtype),
      grad: Tensor.from([n], grad, dtype),
      rate,
    });
    cases.push(make('finite', -1, uniform(n), uniform(n), 0.1));
    // Zero gradients keep every weight at big: each finite, their sum past the range.
    cases.push(make('finite', -1, new Array<number>(n).fill(big), new Array<number>(n).fill(0), 0.1, ' (summing past the range)'));
    for (let at = 0; at < n; at++) {
      for (const [breakage, value] of BAD_GRADIENTS) {
        const grad = uniform(n);
        grad[at] = value;
        cases.push(make(breakage, at, uniform(n), grad, 0.1));
      }
      // Zero gradients elsewhere keep every other weight where it is, whatever the rate.
      for (const [breakage, sign] of [['overflow to +Infinity', 1], ['overflow to -Infinity', -1]] as const) {
        const w = uniform(n);
        const grad = new Array<number>(n).fill(0);
        w[at] = sign * big;
        grad[at] = -sign;
        cases.push(make(breakage, at, w, grad, big));
      }
    }
  }
  return cases;
}
