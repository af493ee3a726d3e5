/** What the exported graph's output holds, after the loss's own transform of the network outputs. */
export interface LossOutput {
  /** Graph output name: `probabilities`, `scores` or `outputs`. */
  readonly name: string;
  /** Whether a Softmax (over the classes) turns the network's outputs into `name`; else they are used as they are. */
  readonly softmax: boolean;
  /** Set when the ONNX output is not what `runner predict` reports. */
  readonly warning?: string;
}

/**
 * The loss decides what `runner predict` reports (Loss.probabilities): softmax-cross-entropy
 * turns logits into probabilities with a softmax, so the graph ends in Softmax and its output is
 * `probabilities`; quadratic and sum-squared-error report the network outputs as they are,
 * independent per-class `scores`. Another loss (a plugin's) cannot say, so the graph ends at the
 * network's `outputs`, with a warning.
 */
export function lossOutput(lossType: string): LossOutput {
  switch (lossType) {
    case 'softmax-cross-entropy':
      return { name: 'probabilities', softmax: true };
    case 'quadratic':
    case 'sum-squared-error':
      return { name: 'scores', softmax: false };
    default:
      return {
        name: 'outputs',
        softmax: false,
        warning:
          `the loss ${lossType} is not built in, so the export cannot know how it turns the network's outputs into what ` +
          "runner predict reports: the ONNX output 'outputs' holds the network's outputs as they are (apply the loss's transform, e.g. a softmax, to them).",
      };
  }
}
