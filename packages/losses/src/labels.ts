import { ConfigError } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';

/**
 * Checks labels against predictions [n, classes] once per batch (O(n)) and returns `classes`.
 * A label outside [0, classes) means the network's last layer and the data disagree on the
 * number of classes, which the config has to fix; a count mismatch is a caller bug.
 */
export function checkLabels(type: string, predictions: Tensor, labels: ArrayLike<number>): number {
  const rows = predictions.rows;
  const classes = predictions.columns;
  if (labels.length !== rows) {
    throw new RangeError(`loss (${type}): predictions have ${rows} rows but ${labels.length} labels were given; pass one label per row.`);
  }
  for (let i = 0; i < rows; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ConfigError([
        {
          path: ['loss'],
          plugin: type,
          message:
            `label ${label} (sample ${i}) is not a class index in [0, ${classes}) of the ${classes}-column predictions. ` +
            'Make the last layer output one unit per class.',
        },
      ]);
    }
  }
  return classes;
}
