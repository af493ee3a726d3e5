import { type FloatArray, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, sameDtype, sameSize } from './checks.js';
import { defineFamily, is64 } from './family.js';

/** Class indices, one per row. */
export type ClassLabels = Uint8Array | Int32Array;

/**
 * The fused softmax cross-entropy family: a loss and its gradient in one kernel call per
 * training step, instead of log-softmax, softmax and scaling passes over [n, K] from JS.
 */

/**
 * Softmax cross-entropy of the row-major logits z [rows, columns = K] against `labels`, with
 * label smoothing ε; writes the gradient of the batch mean into `grad` and returns the sum:
 *   lse_i = log Σ_k e^z_ik = m_i + log Σ_k e^(z_ik - m_i),   m_i = max_k z_ik
 *   q_ik  = (1 - ε)·[k = label_i] + ε/K
 *   loss  = Σ_i Σ_k -q_ik log p_ik = Σ_i (1 - ε)(lse_i - z_i,label) + ε (lse_i - mean_k z_ik)
 *   grad_ik = (p_ik - q_ik) / n,   p_ik = e^(z_ik - m_i) / Σ_k e^(z_ik - m_i)
 * One pass per row: its max, then e^(z - m) (stored in grad, as softmaxRows stores it in out)
 * with their sum and the sum of z, then the loss terms and the gradient. Both loss terms are
 * >= +0 (lse >= m >= any z), so a perfect prediction costs +0, never -0. Sums in float64.
 */
export function softmaxCrossEntropyKernel(
  z: FloatArray,
  labels: ClassLabels,
  smoothing: number,
  grad: FloatArray,
  rows: number,
  columns: number,
): number {
  const share = smoothing / columns; // ε/K: the uniform part of every target
  const hit = 1 - smoothing + share; // the target at the label
  const perRow = 1 / rows;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    const label = labels[r]!;
    let max = -Infinity;
    for (let c = 0; c < columns; c++) {
      const v = z[base + c]!;
      if (v > max) max = v;
    }
    let total = 0;
    let zSum = 0;
    for (let c = 0; c < columns; c++) {
      const v = z[base + c]!;
      const e = Math.exp(v - max);
      grad[base + c] = e;
      total += e;
      zSum += v;
    }
    const lse = max + Math.log(total);
    loss += (1 - smoothing) * (lse - z[base + label]!) + smoothing * (lse - zSum / columns);
    const inv = 1 / total;
    for (let c = 0; c < columns; c++) grad[base + c] = (grad[base + c]! * inv - (c === label ? hit : share)) * perRow;
  }
  return loss;
}

export interface SoftmaxCrossEntropyKernels {
  softmaxCrossEntropy: typeof softmaxCrossEntropyKernel;
}

export interface SoftmaxCrossEntropyOps {
  /**
   * Softmax cross-entropy on logits z [n, K] (2-D view) against n class labels with label
   * smoothing ε in [0, 1], fused with its gradient:
   *   log p = logSoftmax(z) row-wise;  q = (1 - ε)·onehot(labels) + ε/K
   *   returns Σ_i Σ_k -q_ik log p_ik   (the batch's sum; divide by n for the mean)
   *   grad = (softmax(z) - q) / n      (the gradient of the mean), written into `grad` [n, K]
   * Stable for any finite logits; computed in float64 per row, each gradient value rounded
   * once (the float32 e^(z - max) intermediate aside, as in softmaxRows). `grad` must not
   * overlap `logits`. RangeError for a label outside [0, K), naming its row.
   */
  softmaxCrossEntropy(logits: Tensor, labels: ClassLabels, smoothing: number, grad: Tensor): number;
}

/** The module's export this family binds (assembly/softmax-cross-entropy.ts). */
interface SoftmaxCrossEntropyExports {
  softmaxCrossEntropy(z: number, labels: number, smoothing: number, grad: number, rows: number, columns: number): number;
}

export const softmaxCrossEntropyFamily = defineFamily<SoftmaxCrossEntropyKernels, SoftmaxCrossEntropyOps>({
  name: 'softmax-cross-entropy',
  reference: { softmaxCrossEntropy: softmaxCrossEntropyKernel },
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as SoftmaxCrossEntropyExports;
    // Staging moves Float32Arrays, so the labels travel as the bytes of i32s through a float
    // view of one Int32Array: a same-type set() copies bits verbatim (spec'd, and small labels
    // are subnormal floats, never NaN). Sized to the batch, so a call allocates nothing.
    let ints = new Int32Array(0);
    let bits = new Float32Array(0);
    return {
      softmaxCrossEntropy(z, labels, smoothing, grad, rows, columns) {
        if (is64(z)) return reference.softmaxCrossEntropy(z, labels, smoothing, grad, rows, columns);
        if (ints.length !== rows) {
          ints = new Int32Array(rows);
          bits = new Float32Array(ints.buffer);
        }
        ints.set(labels);
        const s = staging.begin();
        const n = rows * columns;
        const loss = wasm.softmaxCrossEntropy(s.read(z, n), s.read(bits, rows), smoothing, s.write(grad, n), rows, columns);
        s.finish();
        return loss;
      },
    };
  },
  methods: (kernels) => ({
    softmaxCrossEntropy(logits, labels, smoothing, grad) {
      const kernel = 'softmaxCrossEntropy';
      const { rows, columns } = logits;
      if (labels.length !== rows) {
        throw new RangeError(
          `${kernel}: logits are ${formatShape(logits.shape)} (${rows} rows) but ${labels.length} labels were given; pass one label per row`,
        );
      }
      if (!(smoothing >= 0 && smoothing <= 1)) {
        throw new RangeError(`${kernel}: smoothing is ${smoothing}; expected a number in [0, 1] (0 for plain one-hot targets)`);
      }
      sameSize(kernel, 'logits', logits, 'grad', grad);
      sameDtype(kernel, ['logits', logits], ['grad', grad]);
      checkAlias(kernel, grad, 'logits', logits, false, 'grad');
      for (let i = 0; i < rows; i++) {
        const label = labels[i]!;
        if (!(Number.isInteger(label) && label >= 0 && label < columns)) {
          throw new RangeError(
            `${kernel}: label ${label} of row ${i} is not a class index in [0, ${columns}) of the ${formatShape(logits.shape)} logits`,
          );
        }
      }
      return kernels.softmaxCrossEntropy(logits.data, labels, smoothing, grad.data, rows, columns);
    },
  }),
});
