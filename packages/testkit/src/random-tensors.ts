import { type Rng, type Shape, Tensor, shapeSize } from '@scratchnet/tensor';

/**
 * Seeded float64 test data: uniform in [low, high), redrawn while |x| < gap. The gap keeps
 * inputs away from the kink of ReLU-like functions at 0 (a central difference straddling a kink
 * measures neither side's slope); gap 0 disables it and must be below max(|low|, |high|).
 */
export function uniformTensor(rng: Rng, shape: Shape, low: number, high: number, gap = 0): Tensor {
  const tensor = Tensor.zeros(shape, 'float64');
  for (let i = 0; i < tensor.data.length; i++) {
    let value = rng.uniform(low, high);
    while (Math.abs(value) < gap) value = rng.uniform(low, high);
    tensor.data[i] = value;
  }
  return tensor;
}

/** All of 0..size-1 when size <= max, else `max` distinct indices drawn with `rng`, ascending. */
export function sampleIndices(rng: Rng, size: number, max: number): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (size <= max) return all;
  // Partial Fisher-Yates: the first `max` slots end up a uniform sample without repeats.
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(size - i);
    const tmp = all[i]!;
    all[i] = all[j]!;
    all[j] = tmp;
  }
  return all.slice(0, max).sort((a, b) => a - b);
}

/** Sum of a[i] * b[i] in float64 (the scalar "loss" sum(output * R) of the gradient checks). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * b[i]!;
  return total;
}

/** A NaN-filled tensor like `like` (shape, dtype), so a backward that skips a gradient shows. */
export function nanLike(like: Tensor): Tensor {
  const tensor = Tensor.zeros(like.shape, like.dtype);
  tensor.data.fill(Number.NaN);
  return tensor;
}

/** `[1, 2]`-style multi-index of a flat row-major index, for messages. */
export function formatIndex(shape: Shape, flat: number): string {
  if (shape.length === 0 || shapeSize(shape) === 0) return `[${flat}]`;
  const parts: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const extent = shape[d]!;
    parts.unshift(rest % extent);
    rest = Math.floor(rest / extent);
  }
  return `[${parts.join(', ')}]`;
}

/** Whether two arrays hold exactly the same values (NaN equals NaN). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  }
  return true;
}
