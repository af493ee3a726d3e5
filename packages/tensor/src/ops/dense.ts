import type { FloatArray, Tensor } from '../tensor.js';
import { prepareOut } from './checks.js';
import { bindDenseKernels } from './dense-bound.js';
import { checkActivation, checkBias, checkDisjoint, checkDtype, checkGrads, checkMatrix, denseSizes, slopeOf } from './dense-checks.js';
import {
  leakyReluBackwardKernel,
  leakyReluKernel,
  sigmoidBackwardKernel,
  sigmoidKernel,
  tanhBackwardKernel,
  tanhKernel,
} from './elementwise.js';
import { defineFamily, flag, is64 } from './family.js';
import { matmulNN, matmulNT, matmulTN } from './matmul.js';
import { addRowVectorKernel, sumRowsKernel } from './rows.js';

/**
 * The dense family: a fully connected layer's forward and backward, each one call instead of
 * three (matmul, addRowVector, an activation) and four (the activation's backward, two matmuls,
 * sumRows). Glossary: x [rows, inputs], W [inputs, units], b [units], y and dy [rows, units].
 *
 *   forward:  y  = act(x·W + b)
 *   backward: dz = dy ⊙ act'(y);  dW = xᵀ·dz [inputs, units];  db = Σ_rows dz [units];  dx = dz·Wᵀ [rows, inputs]
 *
 * The kernels are the separate ops' own kernels composed (the reference calls matmul's,
 * addRowVector's, sumRows' and the activation's; the wasm kernel the module's same functions),
 * so results are bit for bit those of the separate calls on the same backend. act' is read
 * from y: the sigmoid and tanh backward kernels already do, and for a leaky ReLU with slope
 * >= 0, y > 0 exactly when x > 0 (ReLU is slope 0).
 */

/** What a fused dense op applies after x·W + b. */
export interface DenseActivation {
  readonly type: 'identity' | 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh';
  /** leaky-relu only: the slope for x <= 0, a finite number >= 0. */
  readonly slope?: number;
}

/** The gradients denseBackward overwrites: dW like W and, when given, db [units]. */
export interface DenseGrads {
  readonly weight: Tensor;
  readonly bias?: Tensor | undefined;
}

/** The operands a bound dense call keeps from one step to the next (see bindDense). */
export interface DenseBinding {
  readonly weight: Tensor;
  readonly bias?: Tensor | undefined;
  readonly activation: DenseActivation;
  /** y [rows, units]: forward writes it, backward reads it; it fixes the batch size. */
  readonly output: Tensor;
  /** dx [rows, inputs], or undefined when nothing reads dLoss/dx (backward then skips dz·Wᵀ). */
  readonly inputGrad?: Tensor | undefined;
}

/** A dense layer's two ops over bound operands, checked when bound (see bindDense). */
export interface BoundDense {
  /** y = act(x·W + b) into the bound output, which it returns. x: [rows, inputs]. */
  forward(x: Tensor): Tensor;
  /**
   * From dy [rows, units] and the x of the forward: overwrites grads.weight (and grads.bias when
   * given) and returns the bound inputGrad holding dx, or undefined when none was bound.
   */
  backward(x: Tensor, dy: Tensor, grads: DenseGrads): Tensor | undefined;
}

/** y = act(x·W + b) in place on y, by matmul's, addRowVector's and the activation's kernels. */
export function denseForwardKernel(
  x: FloatArray, w: FloatArray, b: FloatArray | undefined, y: FloatArray,
  rows: number, inputs: number, units: number, activation: DenseActivation,
): void {
  matmulNN(x, w, y, rows, units, inputs, false);
  if (b !== undefined) addRowVectorKernel(y, b, y, rows, units);
  activate(activation, y, rows * units);
}

/** y = act(y) elementwise, in place. */
function activate(activation: DenseActivation, y: FloatArray, n: number): void {
  switch (activation.type) {
    case 'relu':
    case 'leaky-relu':
      return leakyReluKernel(y, slopeOf(activation), y, n);
    case 'sigmoid':
      return sigmoidKernel(y, y, n);
    case 'tanh':
      return tanhKernel(y, y, n);
  }
}

/** dz = dy ⊙ act'(y): dy itself for the identity, else a new array. */
function activationGradient(activation: DenseActivation, y: FloatArray, dy: FloatArray, n: number): FloatArray {
  if (activation.type === 'identity') return dy;
  const dz = is64(dy) ? new Float64Array(n) : new Float32Array(n);
  if (activation.type === 'sigmoid') sigmoidBackwardKernel(y, dy, dz, n);
  else if (activation.type === 'tanh') tanhBackwardKernel(y, dy, dz, n);
  else leakyReluBackwardKernel(y, slopeOf(activation), dy, dz, n);
  return dz;
}

/** dW = xᵀ·dz, db = Σ_rows dz (when db is given) and dx = dz·Wᵀ (when dx is given). */
export function denseBackwardKernel(
  x: FloatArray, w: FloatArray, y: FloatArray, dy: FloatArray,
  dw: FloatArray, db: FloatArray | undefined, dx: FloatArray | undefined,
  rows: number, inputs: number, units: number, activation: DenseActivation,
): void {
  const dz = activationGradient(activation, y, dy, rows * units);
  matmulTN(x, dz, dw, inputs, units, rows, false);
  if (db !== undefined) sumRowsKernel(dz, db, rows, units);
  if (dx !== undefined) matmulNT(dz, w, dx, rows, inputs, units, false);
}

export interface DenseKernels {
  denseForward: typeof denseForwardKernel;
  denseBackward: typeof denseBackwardKernel;
}

export interface DenseOps {
  /**
   * y = act(x·W + b) for x [rows, inputs], W [inputs, units], b [units] (undefined: none),
   * written into `out` [rows, units] (which must not overlap an operand) and returned. Bit for
   * bit matmul, then addRowVector, then the activation's own op.
   */
  denseForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, activation: DenseActivation, out?: Tensor): Tensor;
  /**
   * The backward of denseForward, given its x, W and output y and the output gradient dy:
   * dz = dy ⊙ act'(y), then grads.weight = xᵀ·dz, grads.bias = Σ_rows dz (when given) and
   * dx = dz·Wᵀ into `out` (allocated when omitted; `false` skips dx and returns undefined).
   * Bit for bit the activation's backward op, two matmuls and sumRows. No output may overlap
   * an operand or another output.
   */
  denseBackward(
    x: Tensor, weight: Tensor, y: Tensor, dy: Tensor, activation: DenseActivation, grads: DenseGrads, out?: Tensor | false,
  ): Tensor | undefined;
  /**
   * denseForward and denseBackward over operands a training loop keeps from step to step (the
   * parameters, the output and dx buffers of one batch size): checked here, once, instead of on
   * every call. The returned call checks the operands it is given per step (x, dy, the
   * gradients) only when they are not the tensors it checked last time.
   */
  bindDense(binding: DenseBinding): BoundDense;
}

/** The module's exports this family binds (assembly/dense.ts). */
interface DenseExports {
  gemmScratchFloats(m: number, n: number, k: number): number;
  denseForward(
    x: number, w: number, b: number, y: number, rows: number, inputs: number, units: number,
    activation: number, slope: number, product: number, hasBias: number, scratch: number,
  ): void;
  denseBackward(
    x: number, w: number, y: number, dy: number, dz: number, dw: number, db: number, dx: number,
    rows: number, inputs: number, units: number, activation: number, slope: number,
    weightProduct: number, hasBias: number, inputProduct: number, scratch: number,
  ): void;
}

/** The module's activation codes. */
const CODES = { identity: 0, relu: 1, 'leaky-relu': 1, sigmoid: 2, tanh: 3 } as const;

export const denseFamily = defineFamily<DenseKernels, DenseOps>({
  name: 'dense',
  reference: { denseForward: denseForwardKernel, denseBackward: denseBackwardKernel },
  // One module call each on this thread; a product large enough for the engine to split goes
  // to engine.gemm instead (the module call doing the rest), so every thread has work.
  wasm: ({ exports, staging, engine }, reference) => {
    const wasm = exports as DenseExports;
    // Per thread, in whole cache lines, as matmul's.
    const gemmFloats = (m: number, n: number, k: number): number => Math.ceil(wasm.gemmScratchFloats(m, n, k) / 16) * 16;
    return {
      denseForward(x, w, b, y, rows, inputs, units, activation) {
        if (is64(y)) return reference.denseForward(x, w, b, y, rows, inputs, units, activation);
        const s = staging.begin();
        const xAt = s.read(x, rows * inputs);
        const wAt = s.read(w, inputs * units);
        const bAt = b === undefined ? 0 : s.read(b, units);
        const yAt = s.write(y, rows * units);
        const split = engine.splits(rows, units, inputs);
        const floats = gemmFloats(rows, units, inputs);
        const scratch = s.scratch(split ? floats * engine.threads : floats);
        if (split) {
          const product = { a: xAt, lda: inputs, b: wAt, ldb: units, c: yAt, ldc: units, m: rows, n: units, k: inputs };
          engine.gemm({ ...product, transA: false, transB: false, accumulate: false }, scratch, floats * 4);
        }
        const code = CODES[activation.type];
        wasm.denseForward(xAt, wAt, bAt, yAt, rows, inputs, units, code, slopeOf(activation), flag(!split), flag(b !== undefined), scratch);
        s.finish();
        // On the JS engine's Math.exp and Math.tanh, as the elementwise family's sigmoid and tanh.
        if (activation.type === 'sigmoid' || activation.type === 'tanh') activate(activation, y, rows * units);
      },
      denseBackward(x, w, y, dy, dw, db, dx, rows, inputs, units, activation) {
        if (is64(dy)) return reference.denseBackward(x, w, y, dy, dw, db, dx, rows, inputs, units, activation);
        const n = rows * units;
        const code = CODES[activation.type];
        const s = staging.begin();
        const xAt = s.read(x, rows * inputs);
        const wAt = s.read(w, inputs * units);
        const yAt = code === CODES.identity ? 0 : s.read(y, n);
        const dyAt = s.read(dy, n);
        const dwAt = s.write(dw, inputs * units);
        const dbAt = db === undefined ? 0 : s.write(db, units);
        const dxAt = dx === undefined ? 0 : s.write(dx, rows * inputs);
        const dz = code === CODES.identity ? dyAt : s.scratch(n);
        const splitW = engine.splits(inputs, units, rows);
        const splitX = dx !== undefined && engine.splits(rows, inputs, units);
        const floats = Math.max(gemmFloats(inputs, units, rows), dx === undefined ? 0 : gemmFloats(rows, inputs, units));
        const scratch = s.scratch(splitW || splitX ? floats * engine.threads : floats);
        wasm.denseBackward(
          xAt, wAt, yAt, dyAt, dz, dwAt, dbAt, dxAt, rows, inputs, units, code, slopeOf(activation),
          flag(!splitW), flag(db !== undefined), flag(dx !== undefined && !splitX), scratch,
        );
        // After the call: both products read its dz.
        if (splitW) {
          const product = { a: xAt, lda: inputs, b: dz, ldb: units, c: dwAt, ldc: units, m: inputs, n: units, k: rows };
          engine.gemm({ ...product, transA: true, transB: false, accumulate: false }, scratch, floats * 4);
        }
        if (splitX) {
          const product = { a: dz, lda: units, b: wAt, ldb: units, c: dxAt, ldc: inputs, m: rows, n: inputs, k: units };
          engine.gemm({ ...product, transA: false, transB: true, accumulate: false }, scratch, floats * 4);
        }
        s.finish();
      },
    };
  },
  methods: (kernels) => ({
    denseForward(x, weight, bias, activation, out) {
      const kernel = 'denseForward';
      checkActivation(kernel, activation);
      const { rows, inputs, units } = denseSizes(kernel, x, weight);
      if (bias !== undefined) checkBias(kernel, 'bias', bias, units);
      checkDtype(kernel, x.dtype, ['weight', weight], ['bias', bias]);
      const y = prepareOut(kernel, out, [rows, units], x.dtype);
      checkDisjoint(kernel, [['out', y]], [['x', x], ['weight', weight], ['bias', bias]]);
      kernels.denseForward(x.data, weight.data, bias?.data, y.data, rows, inputs, units, activation);
      return y;
    },
    denseBackward(x, weight, y, dy, activation, grads, out) {
      const kernel = 'denseBackward';
      checkActivation(kernel, activation);
      const { rows, inputs, units } = denseSizes(kernel, x, weight);
      checkMatrix(kernel, 'y', y, rows, units, 'the output of x·W');
      checkMatrix(kernel, 'dy', dy, rows, units, 'the output of x·W');
      checkDtype(kernel, x.dtype, ['weight', weight], ['y', y], ['dy', dy]);
      checkGrads(kernel, grads, weight, x.dtype);
      const dx = out === false ? undefined : prepareOut(kernel, out, x.shape, x.dtype);
      const inputsRead = [['x', x], ['weight', weight], ['y', y], ['dy', dy]] as const;
      checkDisjoint(kernel, [['grads.weight', grads.weight], ['grads.bias', grads.bias], ['out', dx]], inputsRead);
      kernels.denseBackward(x.data, weight.data, y.data, dy.data, grads.weight.data, grads.bias?.data, dx?.data, rows, inputs, units, activation);
      return dx;
    },
    bindDense: (binding) => bindDenseKernels(kernels, binding),
  }),
});
