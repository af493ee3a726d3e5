import { shapeSize, type Shape } from '@scratchnet/tensor';
import { type BatchPreprocess, type ImageValues } from './preprocess.js';

/** A NaN or ±Infinity that preprocessing made of finite images. */
export interface NonFiniteValue {
  /** The step (0-based, in config order) whose output holds it. */
  readonly step: number;
  /** That step's plugin id. */
  readonly type: string;
  /** Its index in that step's output for the whole set: sample · product(sampleShape) + position. */
  readonly index: number;
  readonly value: number;
  /** Per-sample shape of that step's output. */
  readonly sampleShape: Shape;
}

/** Samples run through the steps at once while looking: bounded memory whatever the set's size. */
const CHUNK_SAMPLES = 512;

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    // v - v is 0 for every finite v and NaN for NaN and ±Infinity.
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

const allFinite = (values: Float32Array): boolean => firstNonFinite(values) === -1;

/**
 * The first NaN or ±Infinity `preprocess` makes of finite `images` (samples of its inputShape):
 * of the earliest step that makes one, the first in sample order; undefined when there is none.
 * This is what a check of each step's output over the whole preprocessed set would find, found
 * without that set: byte images whose steps are all elementwise are settled by the steps' 256-
 * value tables alone (every output is some table entry); otherwise the steps run over the images
 * CHUNK_SAMPLES samples at a time, the elementwise ones through their table when it is finite.
 */
export function findNonFinite(preprocess: BatchPreprocess, images: ImageValues): NonFiniteValue | undefined {
  const { steps, byteTables } = preprocess;
  // Steps whose outputs are table entries, all finite: none of them can be the one.
  const settled = images instanceof Uint8Array && byteTables.every(allFinite) ? byteTables.length - 1 : 0;
  if (settled === steps.length) return undefined;
  const inSize = shapeSize(preprocess.inputShape);
  const count = inSize === 0 ? 0 : images.length / inSize;
  const table = byteTables[settled]!;
  const work = new Float32Array(Math.min(count, CHUNK_SAMPLES) * inSize);
  const found: (NonFiniteValue | undefined)[] = steps.map(() => undefined);
  // Later chunks can still show an earlier step failing, so the scan ends only when the first
  // step it runs has failed (no step before it can) or at the end of the images.
  for (let start = 0; start < count && found[settled] === undefined; start += CHUNK_SAMPLES) {
    const n = Math.min(CHUNK_SAMPLES, count - start);
    let current: Float32Array = work.subarray(0, n * inSize);
    const from = start * inSize;
    if (images instanceof Uint8Array) for (let i = 0; i < current.length; i++) current[i] = table[images[from + i]!]!;
    else current.set(images.subarray(from, from + n * inSize));
    for (let k = settled; k < steps.length; k++) {
      const step = steps[k]!;
      current = step.apply(current);
      if (found[k] !== undefined) continue;
      const at = firstNonFinite(current);
      if (at !== -1) {
        found[k] = { step: k, type: step.type, index: start * shapeSize(step.outputShape) + at, value: current[at]!, sampleShape: step.outputShape };
      }
    }
  }
  return found.find((value) => value !== undefined);
}
