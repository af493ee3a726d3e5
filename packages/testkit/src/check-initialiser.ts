import type { Fan, InitialiserPlugin } from '@scratchnet/spec';
import { type DType, type Shape, Tensor, createRng, formatShape } from '@scratchnet/tensor';
import { optionsWithDefaults } from './build-context.js';
import { formatIndex, sameValues } from './random-tensors.js';

export interface InitialiserCheckOptions {
  /** Shape of the tensor to fill, e.g. [fanOut, fanIn] for a dense weight. */
  readonly shape: Shape;
  readonly fan: Fan;
  /** Seed of the Rng given to `fill` (default 1). */
  readonly seed?: number;
}

export interface InitialiserReport {
  /** The float64 fill, for checks by hand. */
  readonly values: Float64Array;
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Fills float32 and float64 tensors of `shape` (pre-filled with NaN) and checks that every
 * element was written with a finite value, and that the same seed gives the same values again
 * (an initialiser draws only from the Rng it is given, so a seeded run is repeatable). Returns
 * the float64 values and their statistics, to compare with the distribution the initialiser
 * promises; throws an Error naming the first bad element.
 */
export function checkInitialiser<O>(plugin: InitialiserPlugin<O>, options: Partial<O>, check: InitialiserCheckOptions): InitialiserReport {
  const what = `checkInitialiser(${plugin.type})`;
  const seed = check.seed ?? 1;
  const fill = (dtype: DType): Tensor => {
    const target = Tensor.zeros(check.shape, dtype);
    target.data.fill(Number.NaN);
    plugin.create(optionsWithDefaults(plugin, options)).fill(target, check.fan, createRng(seed));
    for (let i = 0; i < target.size; i++) {
      if (!Number.isFinite(target.data[i])) {
        throw new Error(
          `${what}: ${dtype} element ${formatIndex(check.shape, i)} of ${formatShape(check.shape)} is ${target.data[i]} after fill ` +
            '(NaN: never written); fill must write a finite value to every element of target.',
        );
      }
    }
    return target;
  };
  fill('float32');
  const values = fill('float64').data as Float64Array;
  if (!sameValues(fill('float64').data, values)) {
    throw new Error(`${what}: two fills with Rng seed ${seed} differ; draw every random number from the rng argument (never Math.random).`);
  }
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { values, mean, std: Math.sqrt(squares / values.length), min, max };
}
