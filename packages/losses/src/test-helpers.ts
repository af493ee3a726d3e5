import type { LossPlugin } from '@scratchnet/spec';
import { Tensor, createJsBackend } from '@scratchnet/tensor';
import { optionsWithDefaults } from '@scratchnet/testkit';

/** Runs one forward + backward of `plugin` on float64 predictions [rows.length, classes]. */
export function evaluate<O>(plugin: LossPlugin<O>, options: Partial<O>, rows: number[][], labels: number[]) {
  const loss = plugin.create(optionsWithDefaults(plugin, options), { backend: createJsBackend() });
  const predictions = Tensor.from([rows.length, rows[0]!.length], rows.flat(), 'float64');
  const result = loss.forward(predictions, labels);
  return { loss, predictions, value: result.loss, grad: [...result.backward().data] };
}

/** Rounds for comparisons with hand-computed decimals. */
export const round = (values: readonly number[], digits = 12): number[] => values.map((v) => +v.toFixed(digits) + 0);
