// Test-only helpers for the augmentation tests: synthetic digit-like images, a scripted rng and
// a one-call way to run an augmentation. Excluded from the build (test-*.ts).
import type { AugmentationPlugin } from '@scratchnet/spec';
import { createRng, type Rng, type Shape } from '@scratchnet/tensor';

/**
 * A ring-shaped "0" of stroke width ~3 px and radius side / 4 about a slightly off-centre
 * point, anti-aliased, ink 1 on background 0: a thick stroke well inside the frame.
 */
export function ringDigit(height: number, width = height, shift = 0): Float32Array {
  const image = new Float32Array(height * width);
  const cx = (width - 1) / 2 + shift;
  const cy = (height - 1) / 2 - shift / 2;
  const radius = Math.min(height, width) / 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const distance = Math.abs(Math.hypot(x - cx, y - cy) - radius);
      image[y * width + x] = Math.max(0, Math.min(1, 2 - distance));
    }
  }
  return image;
}

/** A "7": a top bar and a slanted stroke, width ~3 px, inside the frame. */
export function sevenDigit(side: number): Float32Array {
  const image = new Float32Array(side * side);
  const from = Math.round(side * 0.3);
  const to = Math.round(side * 0.7);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const bar = y >= from - 1 && y <= from + 1 && x >= from && x <= to;
      // The slant runs from (to, from) down to (from + 2, to + 2), one pixel left every ~2 rows.
      const slantX = to - ((y - from) * (to - from - 2)) / (to + 2 - from);
      const slant = y >= from && y <= to + 2 && Math.abs(x - slantX) <= 1.2;
      image[y * side + x] = bar || slant ? 1 : 0;
    }
  }
  return image;
}

/** Concatenates samples into one sample-major batch. */
export function batchOf(...samples: readonly Float32Array[]): Float32Array {
  const size = samples[0]?.length ?? 0;
  const batch = new Float32Array(samples.length * size);
  samples.forEach((sample, i) => batch.set(sample, i * size));
  return batch;
}

export const sum = (values: ArrayLike<number>, from = 0, to = values.length): number => {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return total;
};

/** Creates the augmenter for `shape` and applies it to a copy of `images`; returns the copy. */
export function augment<O>(
  plugin: AugmentationPlugin<O>,
  options: O,
  shape: Shape,
  images: Float32Array | Float64Array,
  which: readonly number[],
  rng: Rng | number,
): Float32Array | Float64Array {
  const out = images.slice();
  const augmenter = plugin.create({ ...options, type: plugin.type }, { sampleShape: shape });
  augmenter.apply(out, shape, which, typeof rng === 'number' ? createRng(rng) : rng);
  return out;
}

/**
 * An Rng whose int() and uniform() return scripted results: int(n) returns the next `ints`
 * value (which must be below n), uniform(low, high) maps the next `uniforms` value u in [0, 1]
 * to low + (high - low) * u, so u = 1 reaches `high` exactly, which a real rng never does.
 * Anything else, or running out, throws: the test then sees exactly which draws were made.
 */
export function scriptedRng(script: { readonly ints?: readonly number[]; readonly uniforms?: readonly number[] }): Rng & { readonly used: () => { ints: number; uniforms: number } } {
  let ints = 0;
  let uniforms = 0;
  const unexpected = (what: string) => (): never => {
    throw new Error(`scriptedRng: unexpected ${what}() call`);
  };
  return {
    int(maxExclusive: number): number {
      const value = script.ints?.[ints++];
      if (value === undefined) throw new Error(`scriptedRng: int() call ${ints} was not scripted`);
      if (value >= maxExclusive) throw new Error(`scriptedRng: scripted int ${value} is not below ${maxExclusive}`);
      return value;
    },
    uniform(low = 0, high = 1): number {
      const value = script.uniforms?.[uniforms++];
      if (value === undefined) throw new Error(`scriptedRng: uniform() call ${uniforms} was not scripted`);
      return value === 1 ? high : low + (high - low) * value;
    },
    next: unexpected('next'),
    normal: unexpected('normal'),
    shuffle: unexpected('shuffle'),
    state: unexpected('state'),
    setState: unexpected('setState'),
    fork: unexpected('fork'),
    used: () => ({ ints, uniforms }),
  };
}
