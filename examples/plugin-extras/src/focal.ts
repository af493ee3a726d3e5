import { ConfigError, SPEC_VERSION, defineLoss } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';

export interface FocalOptions {
  /** Focusing exponent γ >= 0; 0 is plain softmax cross-entropy. */
  readonly gamma: number;
}

/**
 * Focal loss (Lin et al., 2017) on raw logits z [n, K], with p = softmax(z) per row and t the
 * label of the row; it down-weights samples the network already gets right:
 *   loss = -(1/n) · Σ_i (1 - p_t)^γ · log p_t
 *   dLoss/dz_j = (1/n) · c · (δ_jt - p_j),   c = γ · (1 - p_t)^(γ-1) · p_t · log p_t - (1 - p_t)^γ
 * (γ = 0 gives c = -1, the cross-entropy gradient p - onehot). `probabilities(z)` is softmax(z).
 */
export const focal = defineLoss<FocalOptions>({
  kind: 'loss',
  type: 'focal',
  specVersion: SPEC_VERSION,
  description: 'Focal loss on logits: cross-entropy scaled by (1 - p_true)^gamma',
  optionsSchema: {
    type: 'object',
    properties: {
      gamma: { type: 'number', minimum: 0, default: 2, description: 'Focusing exponent; 0 is softmax cross-entropy.' },
    },
    additionalProperties: false,
  },
  create({ gamma, type }, { backend }) {
    return {
      forward(logits, labels) {
        const classes = checkLabels(type, logits, labels);
        const n = labels.length;
        const logP = backend.logSoftmaxRows(logits);
        // Per-sample coefficient c of the gradient, computed with the loss so backward is one pass.
        const coefficients = new Float64Array(n);
        let total = 0;
        for (let i = 0; i < n; i++) {
          const logPt = logP.data[i * classes + labels[i]!]!;
          const rest = -Math.expm1(logPt); // 1 - p_t without cancellation
          const weight = rest ** gamma;
          total -= weight * logPt;
          // (1 - p)^(γ-1) blows up at p = 1 when γ < 1, but there it is multiplied by log p = 0.
          const focusing = gamma === 0 || rest === 0 ? 0 : gamma * rest ** (gamma - 1) * Math.exp(logPt) * logPt;
          coefficients[i] = focusing - weight;
        }
        const perSample = n === 0 ? 0 : 1 / n;
        return {
          loss: total * perSample,
          backward() {
            // (δ_jt - p_j) · c = -c · p_j, plus c at the label.
            const grad = backend.softmaxRows(logits);
            const g = grad.data;
            for (let i = 0; i < n; i++) {
              const c = coefficients[i]! * perSample;
              const row = i * classes;
              for (let j = 0; j < classes; j++) g[row + j] = -c * g[row + j]!;
              g[row + labels[i]!]! += c;
            }
            return grad;
          },
        };
      },
      probabilities: (logits) => backend.softmaxRows(logits),
    };
  },
});

/** Checks labels against predictions [n, K] and returns K; a label outside [0, K) is a config mistake. */
function checkLabels(type: string, predictions: Tensor, labels: ArrayLike<number>): number {
  const classes = predictions.columns;
  if (labels.length !== predictions.rows) {
    throw new RangeError(`loss (${type}): predictions have ${predictions.rows} rows but ${labels.length} labels were given; pass one label per row.`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ConfigError([
        {
          path: ['loss'],
          plugin: type,
          message: `label ${label} (sample ${i}) is not a class index in [0, ${classes}); make the last layer output one unit per class.`,
        },
      ]);
    }
  }
  return classes;
}
