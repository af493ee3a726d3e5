import { type DType, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, describeTensor } from './checks.js';
import type { DenseActivation, DenseGrads } from './dense.js';

// Argument checks of the dense family (src/ops/dense.ts): its direct methods run them on every
// call, a bound call (bindDense) once per operand. Every message names the kernel, what was
// expected and what was found.

/** The sizes of one dense op: x [rows, inputs], W [inputs, units], y and dy [rows, units]. */
export interface DenseSizes {
  readonly rows: number;
  readonly inputs: number;
  readonly units: number;
}

type Named = readonly [name: string, tensor: Tensor | undefined];

const ACTIVATIONS: ReadonlySet<string> = new Set(['identity', 'relu', 'leaky-relu', 'sigmoid', 'tanh']);

/** Throws unless `activation` is one the fused ops apply, a leaky one with a finite slope >= 0. */
export function checkActivation(kernel: string, activation: DenseActivation): void {
  const type = (activation as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || !ACTIVATIONS.has(type)) {
    throw new RangeError(
      `${kernel}: activation ${JSON.stringify(activation)} is not one of ${[...ACTIVATIONS].map((t) => `{ type: '${t}' }`).join(', ')}`,
    );
  }
  const slope = activation.slope;
  if (type === 'leaky-relu' && !(typeof slope === 'number' && slope >= 0 && Number.isFinite(slope))) {
    throw new RangeError(
      `${kernel}: the leaky-relu slope is ${slope}; the fused ops need a finite slope >= 0 (their backward reads ` +
        'x > 0 from y > 0). Use leakyRelu and leakyReluBackward for a negative slope',
    );
  }
}

/** The slope the kernels apply: 0 for ReLU, the given one for leaky ReLU (unused by the others). */
export const slopeOf = (activation: DenseActivation): number => (activation.type === 'leaky-relu' ? activation.slope! : 0);

/** The weight's [inputs, units] (its 2-D view). */
export function weightSizes(weight: Tensor): Omit<DenseSizes, 'rows'> {
  return { inputs: weight.rows, units: weight.columns };
}

/** x [rows, inputs] against W [inputs, units]; RangeError unless each row of x has one value per input. */
export function denseSizes(kernel: string, x: Tensor, weight: Tensor): DenseSizes {
  const { inputs, units } = weightSizes(weight);
  if (x.columns !== inputs) {
    throw new RangeError(
      `${kernel}: x is ${formatShape(x.shape)} (${x.columns} values per row) but weight is ${formatShape(weight.shape)} ` +
        `(${inputs} inputs); each row of x needs one value per row of weight`,
    );
  }
  return { rows: x.rows, inputs, units };
}

/** Throws unless `t`'s 2-D view is [rows, columns], which `expected` names. */
export function checkMatrix(
  kernel: string, name: string, t: Tensor, rows: number, columns: number, expected: string, fix = 'pass a tensor of that shape',
): void {
  if (t.rows !== rows || t.columns !== columns) {
    throw new RangeError(`${kernel}: ${name} is ${formatShape(t.shape)} but ${expected} is [${rows}, ${columns}]; ${fix}`);
  }
}

/** Throws unless `bias` (or the bias gradient) holds one value per unit. */
export function checkBias(kernel: string, name: string, bias: Tensor, units: number): void {
  if (bias.size !== units) {
    throw new RangeError(`${kernel}: ${name} is ${describeTensor(bias)} but the layer has ${units} units; ${name} needs one value per unit ([${units}])`);
  }
}

/** Throws unless every named tensor present has `dtype`. */
export function checkDtype(kernel: string, dtype: DType, ...named: readonly Named[]): void {
  for (const [name, t] of named) {
    if (t !== undefined && t.dtype !== dtype) {
      throw new RangeError(
        `${kernel}: ${name} is ${describeTensor(t)} but the operands are ${dtype}; all operands must share a dtype ` +
          `(convert one with tensor.to('${dtype}'))`,
      );
    }
  }
}

/** Throws if an output shares memory with an input or with another output. */
export function checkDisjoint(kernel: string, outputs: readonly Named[], inputs: readonly Named[]): void {
  outputs.forEach(([outName, out], i) => {
    if (out === undefined) return;
    for (const [name, t] of inputs) if (t !== undefined) checkAlias(kernel, out, name, t, false, outName);
    for (let j = i + 1; j < outputs.length; j++) {
      const [name, t] = outputs[j]!;
      if (t !== undefined) checkAlias(kernel, out, name, t, false, outName);
    }
  });
}

/** The checks of a backward's gradients: dW like W, db one per unit. */
export function checkGrads(kernel: string, grads: DenseGrads, weight: Tensor, dtype: DType): void {
  const { inputs, units } = weightSizes(weight);
  checkMatrix(kernel, 'grads.weight', grads.weight, inputs, units, 'the weight', 'pass a gradient shaped like the weight');
  if (grads.bias !== undefined) checkBias(kernel, 'grads.bias', grads.bias, units);
  checkDtype(kernel, dtype, ['grads.weight', grads.weight], ['grads.bias', grads.bias]);
}
