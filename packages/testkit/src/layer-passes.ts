import { type Layer, type LayerBuffers, type Mode, createLayerBuffers } from '@scratchnet/spec';
import { type Backend, Tensor, formatShape } from '@scratchnet/tensor';
import { formatIndex, nanLike, sameValues } from './random-tensors.js';

/**
 * One forward and backward of a layer, reduced to copies of what it produced, so passes with and
 * without LayerBuffers can be compared after the buffers have been reused.
 */
export interface PassValues {
  readonly output: Tensor;
  /** Undefined when backward returned undefined. */
  readonly inputGrad: Tensor | undefined;
  readonly grads: Readonly<Record<string, Tensor>>;
}

export interface PassSetup {
  /** `checkGradients(type)`-style prefix for messages. */
  readonly what: string;
  readonly layer: Layer;
  readonly mode: Mode;
  /** Called before every forward (restores the rng so train-time randomness replays). */
  readonly beforeForward: () => void;
}

/**
 * forward(x, mode, buffers) then backward(dy, NaN-filled grads); copies output (read after
 * backward, which must leave it valid), input gradient and parameter gradients. Given buffers,
 * throws when forward changes x or backward changes dy.
 */
export function runPass(setup: PassSetup, x: Tensor, dy: Tensor, buffers?: LayerBuffers): PassValues {
  const { what, layer } = setup;
  const x0 = buffers === undefined ? undefined : x.data.slice();
  const dy0 = buffers === undefined ? undefined : dy.data.slice();
  setup.beforeForward();
  const result = layer.forward(x, setup.mode, buffers);
  if (x0 !== undefined && !sameValues(x0, x.data)) {
    throw new Error(`${what}: forward given buffers changed its input tensor. Write results only into tensors from buffers.get().`);
  }
  const grads = Object.fromEntries(Object.entries(layer.params).map(([name, p]) => [name, nanLike(p)]));
  const inputGrad = result.backward(dy, grads);
  if (dy0 !== undefined && !sameValues(dy0, dy.data)) {
    throw new Error(`${what}: backward given buffers changed its outputGrad tensor. Write results only into tensors from buffers.get().`);
  }
  return { output: result.output.clone(), inputGrad: inputGrad?.clone(), grads };
}

interface Difference {
  readonly where: string;
  readonly actual: number;
  readonly expected: number;
  readonly difference: number;
}

/** How two passes of the same layer on the same data are described when they differ. */
export interface PassComparison {
  /** `checkGradients(type)`-style prefix. */
  readonly what: string;
  /** Which passes, e.g. `the second of two passes given one createLayerBuffers (seed 2)`. */
  readonly label: string;
  /** Names of the two sides in messages, e.g. ['with buffers', 'without']. */
  readonly sides: readonly [string, string];
  /** The last sentence of the message: what the layer must do. */
  readonly advice: string;
  /** Whether `actual` may return undefined from backward where `expected` returned a tensor. */
  readonly inputGradOptional?: boolean;
  readonly tolerance: number;
}

const SHOW = 5;

/**
 * Throws an Error naming the passes and the worst values unless `actual` equals `expected`
 * (output, input gradient and every parameter gradient) within
 * |a - b| / max(1, |a|, |b|) <= tolerance. NaN equals only NaN: a gradient both passes skip is
 * the gradient check's finding, not this one's.
 */
export function comparePasses(how: PassComparison, actual: PassValues, expected: PassValues): void {
  const { what, label, sides, tolerance } = how;
  const missing = actual.inputGrad === undefined && expected.inputGrad !== undefined && how.inputGradOptional === true;
  if (!missing && (actual.inputGrad === undefined) !== (expected.inputGrad === undefined)) {
    const [a, b] = actual.inputGrad === undefined ? ['undefined', 'a tensor'] : ['a tensor', 'undefined'];
    throw new Error(`${what}: ${label}: backward returned ${a} ${sides[0]} but ${b} ${sides[1]}. ${how.advice}`);
  }
  const differences: Difference[] = [];
  let max = 0;
  const compare = (name: string, a: Tensor, b: Tensor) => {
    if (a.size !== b.size) throw new Error(`${what}: ${label}: ${name} has ${a.size} values ${sides[0]} but ${b.size} ${sides[1]}. ${how.advice}`);
    for (let i = 0; i < a.size; i++) {
      const x = a.data[i]!;
      const y = b.data[i]!;
      const nans = Number(Number.isNaN(x)) + Number(Number.isNaN(y));
      const difference = nans === 0 ? Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y)) : nans === 2 ? 0 : Infinity;
      if (!(difference <= tolerance)) {
        max = Math.max(max, difference);
        differences.push({ where: `${name}${formatIndex(b.shape, i)}`, actual: x, expected: y, difference });
      }
    }
  };
  compare('output', actual.output, expected.output);
  if (actual.inputGrad !== undefined && expected.inputGrad !== undefined) compare('inputGrad', actual.inputGrad, expected.inputGrad);
  for (const [name, grad] of Object.entries(expected.grads)) compare(name, actual.grads[name]!, grad);
  if (differences.length === 0) return;
  differences.sort((a, b) => b.difference - a.difference);
  const rows = differences
    .slice(0, SHOW)
    .map((d) => `  ${d.where}: ${sides[0]} ${d.actual.toPrecision(8)}, ${sides[1]} ${d.expected.toPrecision(8)}`);
  throw new Error(
    `${what}: ${label}: ${sides[0]} and ${sides[1]} differ in ${differences.length} values ` +
      `(max difference ${max.toExponential(2)} > tolerance ${tolerance.toExponential()}):\n${rows.join('\n')}\n${how.advice}`,
  );
}

/** The advice of every buffers comparison. */
export const BUFFERS_ADVICE =
  'A layer given buffers must overwrite every value it reads back from them (nothing may carry over from an earlier ' +
  'call or batch size) and write only into its own buffers and the grads it is given (never input or outputGrad).';

export interface BufferedCase {
  readonly x: Tensor;
  readonly dy: Tensor;
  /** Names the pass in a failure, e.g. `the second of two passes (seed 2)`. */
  readonly label: string;
  /** What the same pass gives without buffers. */
  readonly expected: PassValues;
}

/**
 * Runs every case in order through one createLayerBuffers(backend), the way a training loop does:
 * one input and one outputGrad tensor per shape, refilled with each case's values (so a layer
 * that keys anything on tensor identity sees the same objects with new contents). Each pass must
 * match its `expected` allocating pass (see comparePasses).
 */
export function checkBufferedPasses(setup: PassSetup, backend: Backend, cases: readonly BufferedCase[], tolerance: number): void {
  const buffers = createLayerBuffers(backend);
  const reused = new Map<string, Tensor>();
  const refilled = (role: string, values: Tensor) => {
    const key = `${role} ${formatShape(values.shape)}`;
    let tensor = reused.get(key);
    if (tensor === undefined) reused.set(key, (tensor = Tensor.zeros(values.shape, values.dtype)));
    tensor.data.set(values.data);
    return tensor;
  };
  for (const { x, dy, label, expected } of cases) {
    let actual: PassValues;
    try {
      actual = runPass(setup, refilled('input', x), refilled('outputGrad', dy), buffers);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.startsWith(`${setup.what}:`)) throw error;
      throw new Error(`${setup.what}: ${label} threw: ${message}\n${BUFFERS_ADVICE}`, { cause: error });
    }
    comparePasses({ what: setup.what, label, sides: ['with buffers', 'without'], advice: BUFFERS_ADVICE, tolerance }, actual, expected);
  }
}
