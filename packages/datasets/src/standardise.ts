import { ModelFormatError, ShapeError, definePreprocess, type PreprocessState } from '@scratchnet/spec';
import { formatShape, shapeSize, type Shape } from '@scratchnet/tensor';

export interface StandardiseOptions {
  /** One mean/std per pixel position instead of one for the whole image; default false. */
  readonly perPixel?: boolean;
  /** A std at or below this counts as zero (the value is then only centred); default 1e-8. */
  readonly epsilon?: number;
}

const DEFAULTS = { perPixel: false, epsilon: 1e-8 } as const;

/**
 * x' = (x - mean) / s, with s = std if std > epsilon, else 1 (so constant pixels, such as MNIST's
 * empty border, are centred rather than blown up). mean and std (population, divide by n) are
 * fitted on the training split only, over all values or, with perPixel, per pixel position;
 * they are the state stored with the model: { mean, std } as numbers or arrays of
 * product(sampleShape) numbers. apply works in place. The global form is elementwise (byte
 * images are standardised through a 256-value table as they are gathered); perPixel is not.
 */
export const standardise = definePreprocess<StandardiseOptions>({
  kind: 'preprocess',
  type: 'standardise',
  specVersion: 1,
  description: 'Subtracts the training mean and divides by the training standard deviation (global or per pixel)',
  optionsSchema: {
    type: 'object',
    properties: {
      perPixel: { type: 'boolean', default: DEFAULTS.perPixel, description: 'Statistics per pixel position instead of over the whole image' },
      epsilon: { type: 'number', minimum: 0, default: DEFAULTS.epsilon, description: 'A std at or below this is treated as zero: the value is only centred' },
    },
    additionalProperties: false,
  },
  create(options) {
    const perPixel = options.perPixel ?? DEFAULTS.perPixel;
    const epsilon = options.epsilon ?? DEFAULTS.epsilon;
    return {
      outputShape: (inputShape) => inputShape,
      elementwise: !perPixel,
      fit: (images, sampleShape) => (perPixel ? fitPerPixel(images, shapeSize(sampleShape)) : fitGlobal(images)),
      apply(images, sampleShape, state) {
        const mean = readStatistic(state, 'mean', perPixel, sampleShape);
        const divisor = readStatistic(state, 'std', perPixel, sampleShape).map((std) => (std > epsilon ? std : 1));
        const size = mean.length;
        if (size === 1) {
          const m = mean[0]!;
          const d = divisor[0]!;
          for (let i = 0; i < images.length; i++) images[i] = (images[i]! - m) / d;
          return images;
        }
        for (let offset = 0; offset < images.length; offset += size) {
          for (let p = 0; p < size; p++) images[offset + p] = (images[offset + p]! - mean[p]!) / divisor[p]!;
        }
        return images;
      },
    };
  },
});

function fitGlobal(images: Float32Array): PreprocessState {
  if (images.length === 0) return { mean: 0, std: 1 };
  let sum = 0;
  for (let i = 0; i < images.length; i++) sum += images[i]!;
  const mean = sum / images.length;
  // Two passes: the textbook one-pass formula loses precision when the mean is large.
  let squares = 0;
  for (let i = 0; i < images.length; i++) squares += (images[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / images.length) };
}

function fitPerPixel(images: Float32Array, size: number): PreprocessState {
  const count = images.length / size;
  const mean = new Float64Array(size);
  const squares = new Float64Array(size);
  if (count === 0) return { mean: Array.from(mean), std: Array.from(mean, () => 1) };
  for (let offset = 0; offset < images.length; offset += size) for (let p = 0; p < size; p++) mean[p] = mean[p]! + images[offset + p]!;
  for (let p = 0; p < size; p++) mean[p] = mean[p]! / count;
  for (let offset = 0; offset < images.length; offset += size) {
    for (let p = 0; p < size; p++) squares[p] = squares[p]! + (images[offset + p]! - mean[p]!) ** 2;
  }
  return { mean: Array.from(mean), std: Array.from(squares, (s) => Math.sqrt(s / count)) };
}

/** A statistic as `size` numbers; rejects state that does not fit these options or this shape. */
function readStatistic(state: PreprocessState, key: 'mean' | 'std', perPixel: boolean, sampleShape: Shape): Float64Array {
  const value = state[key];
  if (!perPixel && typeof value === 'number') return Float64Array.of(value);
  if (perPixel && Array.isArray(value)) {
    const size = shapeSize(sampleShape);
    if (value.length !== size) {
      throw new ShapeError(undefined, 'standardise', `samples of ${value.length} values (the shape the statistics were fitted on)`, `${formatShape(sampleShape)} (${size} values)`, 'Use data of the shape the model was trained on.');
    }
    return Float64Array.from(value as readonly number[]);
  }
  throw new ModelFormatError(
    'model.json',
    `standardise${perPixel ? ' (perPixel)' : ''} expects "${key}" to be ${perPixel ? 'an array of numbers' : 'a number'}, found ${JSON.stringify(value)}. ` +
      'The stored preprocessing state does not match the options; re-export the model.',
  );
}
