import { definePreprocess } from '@scratchnet/spec';

export interface ScaleOptions {
  /** x' = x / divisor; default 255 (bytes to 0..1). */
  readonly divisor?: number;
}

const DEFAULT_DIVISOR = 255;

/**
 * x' = x / divisor, in place (in float64, rounded to float32 once). Nothing to fit; the shape is
 * unchanged. Elementwise, so byte images are scaled through a 256-value table as they are gathered.
 */
export const scale = definePreprocess<ScaleOptions>({
  kind: 'preprocess',
  type: 'scale',
  specVersion: 1,
  description: 'Divides every pixel by a constant (255 turns bytes into 0..1)',
  optionsSchema: {
    type: 'object',
    properties: {
      divisor: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_DIVISOR, description: 'x / divisor; 255 for MNIST bytes, 16 for sklearn digits' },
    },
    additionalProperties: false,
  },
  create(options) {
    const divisor = options.divisor ?? DEFAULT_DIVISOR;
    return {
      outputShape: (inputShape) => inputShape,
      elementwise: true,
      apply(images) {
        for (let i = 0; i < images.length; i++) images[i] = images[i]! / divisor;
        return images;
      },
    };
  },
});
